from rest_framework.routers import SimpleRouter

from releases import views

router = SimpleRouter(trailing_slash=False)
router.register("releases", views.ReleaseViewSet, basename="release")

urlpatterns = router.urls
