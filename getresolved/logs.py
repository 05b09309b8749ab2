"""Log formatting shared by Django and gunicorn: the request id filter and the JSON formatter.

This module imports nothing from Django, so gunicorn.conf.py can use it before
Django's settings are loaded.
"""

import contextvars
import json
import logging
from datetime import UTC, datetime

# Set by RequestLogMiddleware for the duration of one request. It is a context
# variable rather than a thread-local, so it also works under an ASGI server.
current_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_request_id", default=None)

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}
_JSON_SCALARS = (str, int, float, bool, type(None))


class RequestIdFilter(logging.Filter):
    """Stamp each record with the id of the request being served, or "-" outside a request.

    Django's own error records (django.request) carry the HttpRequest as
    `record.request`, which is preferred when present.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        request_id = getattr(request, "request_id", None) or current_request_id.get()
        record.request_id = request_id or "-"
        return True


class JsonFormatter(logging.Formatter):
    """Format a record as one JSON object per line, for log collectors.

    Scalar values passed with `extra=` become top-level keys. Objects such as
    Django's HttpRequest are left out, because they are not JSON and may
    contain headers with credentials.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for name, value in vars(record).items():
            if name not in _RECORD_ATTRIBUTES and name not in entry and isinstance(value, _JSON_SCALARS):
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(log_level: str, log_format: str) -> dict:
    """Build the dictConfig for the application: one stderr handler, plain or JSON lines."""
    if log_format not in ("plain", "json"):
        raise ValueError(f"LOG_FORMAT={log_format!r} is not supported; use plain or json.")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "getresolved.logs.RequestIdFilter"}},
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
            "json": {"()": "getresolved.logs.JsonFormatter"},
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": log_format, "filters": ["request_id"]},
        },
        "root": {"handlers": ["console"], "level": "WARNING"},
        "loggers": {
            # Django's records reach the console handler through the root logger
            # only; without this, Django's default handlers stay attached too.
            "django": {"handlers": [], "level": "WARNING"},
            # The request log already has one line per 4xx, so only the 5xx
            # records (with their tracebacks) are kept from django.request.
            "django.request": {"level": "ERROR"},
            "getresolved": {"level": log_level},
            "workspaces": {"level": log_level},
            "issues": {"level": log_level},
            "conversations": {"level": log_level},
            "releases": {"level": log_level},
        },
    }
