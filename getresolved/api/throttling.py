"""Per-key rate limiting with a fixed-window counter in Django's cache.

A counter per key and window costs one cache increment per request, where DRF's
SimpleRateThrottle keeps a list of timestamps per key and rewrites it on every
request. The price is that a client may send up to twice the rate across a
window boundary.
"""

import re
import time

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from rest_framework.throttling import BaseThrottle

_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(second|minute|hour|day)\s*$")


def parse_rate(rate: str | None) -> tuple[int, int] | None:
    """Parse '600/minute' into (600, 60); 'off', '' or None disables the limit."""
    if rate is None or rate.strip().lower() in ("", "off", "none", "0"):
        return None
    match = _RATE_RE.match(rate.lower())
    if not match:
        raise ImproperlyConfigured(
            f"API_RATE_LIMIT={rate!r} is invalid; use a count and a period such as '600/minute', or 'off'."
        )
    return int(match.group(1)), _PERIODS[match.group(2)]


class ApiKeyRateThrottle(BaseThrottle):
    """Allow each API key `API_RATE_LIMIT` requests per period, across all server processes
    that share the cache named by `API_RATE_LIMIT_CACHE`."""

    def allow_request(self, request, view):
        rate = parse_rate(settings.API_RATE_LIMIT)
        api_key = getattr(request, "auth", None)
        if rate is None or api_key is None:
            return True

        limit, period = rate
        now = time.time()
        window = int(now // period)
        cache = caches[settings.API_RATE_LIMIT_CACHE]
        cache_key = f"ratelimit:{api_key.pk}:{period}:{window}"
        # add() is a no-op when the key exists, so concurrent first requests
        # do not reset each other's count.
        cache.add(cache_key, 0, timeout=period + 1)
        try:
            count = cache.incr(cache_key)
        except ValueError:
            # The entry expired between add() and incr(); start the window again.
            cache.set(cache_key, 1, timeout=period + 1)
            count = 1
        if count <= limit:
            return True
        self._wait = (window + 1) * period - now
        return False

    def wait(self):
        return getattr(self, "_wait", None)
