from django.urls import path
from rest_framework.routers import SimpleRouter

from workspaces import views

router = SimpleRouter(trailing_slash=False)
router.register("members", views.MemberViewSet, basename="member")
router.register("products", views.ProductViewSet, basename="product")

urlpatterns = [
    path("me", views.MeView.as_view(), name="me"),
    *router.urls,
]
