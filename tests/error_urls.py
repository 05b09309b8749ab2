"""URLconf for the error tests: the real routes plus views that fail on purpose."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import include, path
from rest_framework.views import APIView

from getresolved.api.exceptions import ApiError, RequestTooLarge


class RaisingApiView(APIView):
    """Raise the exception named by the `kind` path segment, as service code would."""

    authentication_classes = []
    permission_classes = []

    errors = {
        "django-validation-dict": lambda: ValidationError({"title": "Title is required.", "status": ["Bad status."]}),
        "django-validation-plain": lambda: ValidationError("The request cannot be applied."),
        "django-permission": lambda: PermissionDenied(),
        "django-404": lambda: Http404(),
        "api-error": lambda: ApiError("Custom failure.", fields={"x": "Bad x."}),
        "too-large": lambda: RequestTooLarge("Body too big."),
    }

    def get(self, request, kind):
        raise self.errors[kind]()


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
    path("api/v1/test-raise/<str:kind>", RaisingApiView.as_view()),
    path("", include("getresolved.urls")),
]

handler400 = "getresolved.api.views.bad_request"
handler403 = "getresolved.api.views.permission_denied"
handler404 = "getresolved.api.views.not_found"
handler500 = "getresolved.api.views.server_error"
