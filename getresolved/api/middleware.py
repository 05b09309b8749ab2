import logging
import re
import uuid
from contextvars import ContextVar

# A client-supplied request id is echoed only if it is short and harmless in logs.
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

# The id of the request being handled, for log records emitted anywhere below the middleware.
_current_request_id: ContextVar[str] = ContextVar("request_id", default="-")


class RequestIdMiddleware:
    """Give every request an id, echo it in `X-Request-ID`, and expose it as request.request_id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        supplied = request.headers.get("X-Request-ID", "")
        request.request_id = supplied if _SANE_REQUEST_ID.fullmatch(supplied) else uuid.uuid4().hex
        token = _current_request_id.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            _current_request_id.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class RequestIdLogFilter(logging.Filter):
    """Set `record.request_id` to the current request's id, or "-" outside a request."""

    def filter(self, record):
        record.request_id = _current_request_id.get()
        return True
