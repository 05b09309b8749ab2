"""One error body for the whole API: `{error_code, detail, fields?}`.

`api_exception_handler` is DRF's EXCEPTION_HANDLER; `json_error_response` is also
used by the Django-level 404 and 500 handlers, so errors raised outside a DRF
view look the same as errors raised inside one.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.views import set_rollback

logger = logging.getLogger(__name__)


class ApiError(exceptions.APIException):
    """Base for domain errors that carry their own code and status."""

    error_code = "validation_error"
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "The request is invalid."

    def __init__(self, detail: str | None = None, fields: dict[str, str] | None = None):
        super().__init__(detail or self.default_detail)
        self.fields = fields


class InvalidRequest(ApiError):
    pass


class RequestTooLarge(ApiError):
    error_code = "payload_too_large"
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE


# DRF exception class -> (error_code, status). Order matters: subclasses first.
_DRF_CODES: list[tuple[type[Exception], str, int]] = [
    (exceptions.NotAuthenticated, "unauthorized", 401),
    (exceptions.AuthenticationFailed, "unauthorized", 401),
    (exceptions.PermissionDenied, "forbidden", 403),
    (exceptions.NotFound, "not_found", 404),
    (exceptions.MethodNotAllowed, "method_not_allowed", 405),
    (exceptions.NotAcceptable, "not_acceptable", 406),
    (exceptions.UnsupportedMediaType, "unsupported_media_type", 415),
    (exceptions.Throttled, "rate_limited", 429),
    (exceptions.ParseError, "validation_error", 400),
    (exceptions.ValidationError, "validation_error", 400),
]

DEFAULT_DETAILS = {
    "unauthorized": "Authentication failed: send a valid API key as 'Authorization: Bearer gr_...'.",
    "forbidden": "This API key is not allowed to perform this action.",
    "not_found": "The requested resource was not found.",
    "method_not_allowed": "This method is not allowed on this path.",
    "unsupported_media_type": "Send the request body as JSON with 'Content-Type: application/json'.",
    "rate_limited": "Too many requests for this API key; retry after the number of seconds in Retry-After.",
    "validation_error": "The request is invalid; see fields for details.",
    "payload_too_large": "The request body is too large.",
    "internal_error": "An unexpected error occurred.",
}


def error_body(error_code: str, detail: str, fields: dict[str, str] | None = None) -> dict:
    body = {"error_code": error_code, "detail": detail}
    if fields:
        body["fields"] = fields
    return body


def json_error_response(
    request, error_code: str, status_code: int, detail: str | None = None, fields=None
) -> JsonResponse:
    if error_code == "internal_error":
        request_id = getattr(request, "request_id", None)
        detail = f"An unexpected error occurred. Quote request id {request_id} when reporting it."
    response = JsonResponse(error_body(error_code, detail or DEFAULT_DETAILS[error_code], fields), status=status_code)
    if status_code == 401:
        response["WWW-Authenticate"] = "Bearer"
    return response


def _first_message(value) -> str:
    """Reduce DRF's nested error structures to one readable message."""
    if isinstance(value, dict):
        key, inner = next(iter(value.items()))
        return f"{key}: {_first_message(inner)}"
    if isinstance(value, (list, tuple)):
        messages = [_first_message(item) for item in value if item not in (None, {}, [])]
        if not messages:
            return "Invalid value."
        if all(isinstance(item, (dict, list)) for item in value):
            # A list of per-item errors: name the position of the first bad item.
            for index, item in enumerate(value):
                if item:
                    return f"item {index}: {_first_message(item)}"
        return " ".join(messages)
    return str(value)


def fields_from_validation_detail(detail) -> tuple[str | None, dict[str, str]]:
    """Split a DRF ValidationError detail into a top-level message and per-field messages."""
    if isinstance(detail, dict):
        fields = {}
        message = None
        for key, value in detail.items():
            if key in ("non_field_errors", "__all__"):
                message = _first_message(value)
            else:
                fields[str(key)] = _first_message(value)
        return message, fields
    return _first_message(detail), {}


def _django_validation_to_drf(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(
            {key: [m for error in errors for m in error.messages] for key, errors in exc.error_dict.items()}
        )
    return exceptions.ValidationError({"non_field_errors": exc.messages})


def api_exception_handler(exc, context):
    request = context.get("request")

    if isinstance(exc, DjangoValidationError):
        exc = _django_validation_to_drf(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge("The request body is larger than the server accepts; send a smaller body.")

    if isinstance(exc, ApiError):
        set_rollback()
        return json_error_response(request, exc.error_code, exc.status_code, str(exc.detail), exc.fields)

    match = next((entry for entry in _DRF_CODES if isinstance(exc, entry[0])), None)
    if match is None:
        # Not an exception we can name: DRF's caller re-raises, Django logs the
        # traceback and the handler500 view produces the internal_error body.
        return None
    _, error_code, status_code = match

    set_rollback()
    fields = None
    if error_code == "validation_error" and isinstance(exc, exceptions.ValidationError):
        detail, fields = fields_from_validation_detail(exc.detail)
        if detail is None:
            detail = DEFAULT_DETAILS["validation_error"]
            if fields:
                detail = "Invalid value for " + ", ".join(sorted(fields)) + "."
    elif error_code in ("unauthorized", "not_found", "method_not_allowed") and not _is_custom(exc):
        detail = _default_or_drf(exc, error_code, request)
    elif error_code == "unsupported_media_type":
        detail = f"{exc.detail} Send the body as JSON with 'Content-Type: application/json'."
    else:
        detail = str(exc.detail)

    response = json_error_response(request, error_code, status_code, detail, fields)
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        response["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
    return response


def _is_custom(exc) -> bool:
    """Return True when the raising code gave its own message."""
    return str(exc.detail) != str(type(exc).default_detail) and not isinstance(exc, exceptions.MethodNotAllowed)


def _default_or_drf(exc, error_code: str, request) -> str:
    if error_code == "method_not_allowed" and request is not None:
        return f"Method {request.method} is not allowed on {request.path}."
    return DEFAULT_DETAILS[error_code]
