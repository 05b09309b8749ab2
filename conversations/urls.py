from rest_framework.routers import SimpleRouter

from conversations import views

router = SimpleRouter(trailing_slash=False)
router.register("conversations", views.ConversationViewSet, basename="conversation")
# Deprecated alias, served by the same viewset; responses name the successor path.
router.register("items", views.ConversationViewSet, basename="item")

urlpatterns = router.urls
