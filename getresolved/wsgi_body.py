"""WSGI wrapper that gives Django the body of a chunked request.

Django reads exactly CONTENT_LENGTH bytes of a request body, so a body sent with
`Transfer-Encoding: chunked` (which has no Content-Length) reaches the views as
empty, and a PATCH would succeed while changing nothing. Servers that de-chunk
the body and mark the stream as terminated (gunicorn sets `wsgi.input_terminated`)
let this wrapper read it and set CONTENT_LENGTH; elsewhere the request is
rejected with 411.
"""

import io
import json

from django.conf import settings


def _length_required(start_response):
    body = json.dumps(
        {
            "error_code": "length_required",
            "detail": "This server cannot read a chunked request body; send the body with a Content-Length header.",
        }
    ).encode()
    start_response("411 Length Required", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


class ChunkedBodyMiddleware:
    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower() and not environ.get("CONTENT_LENGTH"):
            if not environ.get("wsgi.input_terminated"):
                return _length_required(start_response)
            # One byte over the limit is enough for Django to reject the body with 413.
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            body = environ["wsgi.input"].read(limit + 1 if limit is not None else -1)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
        return self.application(environ, start_response)
