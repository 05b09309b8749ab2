import logging
import re
import time
import uuid

from getresolved.logs import current_request_id

request_logger = logging.getLogger("getresolved.request")

# A client-supplied request id is echoed only if it is short and harmless in logs.
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestIdMiddleware:
    """Give every request an id, echo it in `X-Request-ID`, and expose it as request.request_id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        supplied = request.headers.get("X-Request-ID", "")
        request.request_id = supplied if _SANE_REQUEST_ID.fullmatch(supplied) else uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class RequestLogMiddleware:
    """Log one line per request: method, path, status, duration, and the API key's workspace and prefix.

    Must sit right after RequestIdMiddleware. The query string and headers are
    never logged, so a secret sent in either stays out of the log.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request_id.set(getattr(request, "request_id", None))
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)

            # Set by ApiKeyAuthentication on the HttpRequest when a key was accepted.
            client = getattr(request, "api_client", None)
            workspace_id = str(client.workspace.pk) if client else None
            key_prefix = client.api_key.prefix if client else None

            # Load balancers poll /healthz every few seconds, so a 200 from it is logged at DEBUG only.
            level = logging.DEBUG if request.path == "/healthz" and response.status_code == 200 else logging.INFO
            request_logger.log(
                level,
                "%s %s %s %.1fms workspace=%s key=%s",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                workspace_id or "-",
                key_prefix or "-",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "workspace_id": workspace_id,
                    "key_prefix": key_prefix,
                },
            )
            return response
        finally:
            current_request_id.reset(token)
