"""Operational endpoints outside the versioned API."""

import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    """Check that the database responds to SELECT 1: 200 when it does, 503 when it fails.

    Needs no API key, so load balancers and orchestrators can poll it.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("Health check failed: database query failed: %s", exc)
        return JsonResponse(
            {"status": "unavailable", "detail": "The database is unreachable or failed the check query."},
            status=503,
        )
    return JsonResponse({"status": "ok"})
