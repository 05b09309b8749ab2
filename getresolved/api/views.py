"""Discovery documents and the JSON 404/500 handlers."""

import logging

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer

from getresolved.api.exceptions import json_error_response
from getresolved.api.viewsets import ApiView, RejectUnknownQueryParametersMixin

logger = logging.getLogger(__name__)


class PlainJsonOpenApiRenderer(OpenApiJsonRenderer):
    # drf-spectacular's default media type, application/vnd.oai.openapi+json,
    # makes a request with `Accept: application/json` fail with 406.
    media_type = "application/json"


class OpenApiView(RejectUnknownQueryParametersMixin, SpectacularAPIView):
    """Serve the OpenAPI 3.1 document as JSON, without a key."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [PlainJsonOpenApiRenderer]
    public_endpoint = True
    response_envelope = False

    # Explicit operation ids: the derived ones contain a dot, which code generators mangle.
    @extend_schema(
        operation_id="openapi_json_retrieve",
        summary="OpenAPI 3.1 description of this API",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="The OpenAPI document.")},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class SwaggerUiView(SpectacularSwaggerView):
    """Serve Swagger UI for the OpenAPI document, from local static files and without a key."""

    authentication_classes = []
    permission_classes = [AllowAny]
    url_name = "openapi"


class RedocView(SpectacularRedocView):
    """Serve Redoc for the OpenAPI document, from local static files and without a key."""

    authentication_classes = []
    permission_classes = [AllowAny]
    url_name = "openapi"
    template_name = "api/redoc.html"


class PlainTextRenderer(BaseRenderer):
    media_type = "text/plain"
    format = "txt"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data.encode(self.charset) if isinstance(data, str) else data


class LlmsTxtView(ApiView):
    """Serve the plain-text API guide for coding agents, without a key."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [PlainTextRenderer]
    public_endpoint = True
    response_envelope = False

    @extend_schema(
        operation_id="llms_txt_retrieve",
        summary="Plain-text guide to this API for coding agents",
        responses={(200, "text/plain"): OpenApiResponse(OpenApiTypes.STR, description="The guide.")},
    )
    def get(self, request):
        base_url = request.build_absolute_uri("/api/v1").rstrip("/")
        return HttpResponse(
            render_to_string("llms.txt", {"base_url": base_url}), content_type="text/plain; charset=utf-8"
        )


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


# Exempt from CSRF so that a POST to an unknown /api/ path gets this JSON 404,
# not Django's HTML CSRF page: API clients send no CSRF token.
@csrf_exempt
def not_found(request, exception=None):
    if _wants_json(request):
        return json_error_response(request, "not_found", 404, "No API endpoint at this path.")
    return HttpResponse("Not found.", status=404, content_type="text/plain")


def server_error(request):
    # Django has already logged the traceback through django.request.
    if _wants_json(request):
        return json_error_response(request, "internal_error", 500)
    return HttpResponse("Server error.", status=500, content_type="text/plain")


def bad_request(request, exception=None):
    if _wants_json(request):
        return json_error_response(request, "validation_error", 400, "The request could not be read.")
    return HttpResponse("Bad request.", status=400, content_type="text/plain")


def permission_denied(request, exception=None):
    if _wants_json(request):
        return json_error_response(request, "forbidden", 403)
    return HttpResponse("Forbidden.", status=403, content_type="text/plain")
