"""Gunicorn configuration for production: `gunicorn --config gunicorn.conf.py`.

Every value can be changed through an environment variable; the README lists
them. Requests are logged by the application (one line each, with the request
id and the API key's workspace), so gunicorn's access log stays off.
"""

import multiprocessing
import os

from getresolved.logs import logging_config


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name}={raw!r} is not an integer.") from None


wsgi_app = "getresolved.wsgi:application"

# Comma-separated; for example "0.0.0.0:8000" inside a container, or
# "unix:/run/getresolved.sock" behind a proxy on the same machine.
bind = [address.strip() for address in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",") if address]

# The usual 2 x cores + 1 sync workers, capped because each worker keeps its
# own database connection: 12 workers per machine stay well under PostgreSQL's
# default max_connections of 100 with a few machines.
workers = _env_int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 12))
threads = _env_int("GUNICORN_THREADS", 1)

# A worker silent for this long is killed and replaced. The duplicate-matching
# create calls Anthropic with a 10-second timeout and one retry, so 30 s covers it.
timeout = _env_int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _env_int("GUNICORN_KEEPALIVE", 5)

# Recycle workers now and then so a slow leak cannot grow without bound; the
# jitter keeps them from restarting all at once.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# Heartbeat files on a RAM disk, where one exists, so a slow disk (a container's
# overlay file system) cannot make the master think a busy worker hung. Gunicorn
# creates them with mkstemp, so a shared directory is safe.
if os.path.isdir("/dev/shm"):  # noqa: S108
    worker_tmp_dir = "/dev/shm"  # noqa: S108

accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "INFO").lower()

# Gunicorn's own lines (worker boots, timeouts) use the application's format,
# so LOG_FORMAT=json gives a collector nothing but JSON.
logconfig_dict = logging_config(
    log_level=os.environ.get("LOG_LEVEL", "INFO").upper(),
    log_format=os.environ.get("LOG_FORMAT", "plain").lower(),
)
logconfig_dict["loggers"].update(
    {
        "gunicorn.error": {"level": loglevel.upper(), "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
    }
)

proc_name = "getresolved"
