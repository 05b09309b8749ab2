"""URLconf for the error tests: the real routes plus views that fail on purpose."""

from django.urls import include, path
from rest_framework.views import APIView


class ExplodingApiView(APIView):
    authentication_classes = []
    permission_classes = []

    def get(self, request):
        raise RuntimeError("secret internals: SELECT password FROM users")


def exploding_django_view(request):
    raise RuntimeError("secret internals: SELECT password FROM users")


urlpatterns = [
    path("api/v1/test-explode", ExplodingApiView.as_view()),
    path("api/v1/test-explode-django", exploding_django_view),
    path("", include("getresolved.urls")),
]

handler400 = "getresolved.api.views.bad_request"
handler403 = "getresolved.api.views.permission_denied"
handler404 = "getresolved.api.views.not_found"
handler500 = "getresolved.api.views.server_error"
