from rest_framework.routers import SimpleRouter

from issues import views

router = SimpleRouter(trailing_slash=False)
router.register("issues", views.IssueViewSet, basename="issue")
# The deprecated name of /issues: same viewset, so behaviour cannot drift apart.
router.register("actions", views.IssueViewSet, basename="action")

urlpatterns = router.urls
