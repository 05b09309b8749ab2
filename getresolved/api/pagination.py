"""limit/offset pagination with the `{data, pagination}` envelope."""

import json
import re

from django.db import connections
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
# Offsets beyond this are rejected: a deep OFFSET scan costs the database as much
# as reading every skipped row.
MAX_OFFSET = 1_000_000
# Up to this many matches `total` is an exact count. Beyond it, counting every
# row would make a list request slower the more rows match, so `total` is the
# PostgreSQL planner's estimate instead, made exact again on a short or empty
# page. The count itself scans at most EXACT_COUNT_CAP + 1 index entries.
EXACT_COUNT_CAP = 10_000
# int() alone would also take "1_000" and non-ASCII digits such as "\u0665".
_INTEGER_RE = re.compile(r"-?[0-9]{1,100}")


def _parse_int(request, name: str, default: int) -> int:
    values = request.query_params.getlist(name)
    if not values or values[-1] == "":
        return default
    if len(values) > 1:
        raise ValidationError({name: f"Give {name} once."})
    raw = values[0].strip()
    if not _INTEGER_RE.fullmatch(raw):
        raise ValidationError({name: f"{name} must be an integer, got {raw[:50]!r}."})
    return int(raw)


class LimitOffsetPagination(pagination.BasePagination):
    def get_limit_offset(self, request) -> tuple[int, int]:
        limit = _parse_int(request, "limit", DEFAULT_LIMIT)
        offset = _parse_int(request, "offset", 0)
        errors = {}
        if limit <= 0:
            errors["limit"] = f"limit must be between 1 and {MAX_LIMIT}."
        if offset < 0:
            errors["offset"] = "offset must be 0 or greater."
        elif offset > MAX_OFFSET:
            errors["offset"] = f"offset must be at most {MAX_OFFSET}."
        if errors:
            raise ValidationError(errors)
        return min(limit, MAX_LIMIT), offset

    def paginate_queryset(self, queryset, request, view=None):
        self.limit, self.offset = self.get_limit_offset(request)
        self.total = self.count(queryset)
        if self.total <= EXACT_COUNT_CAP:
            if self.total == 0 or self.offset >= self.total:
                return []
            return list(queryset[self.offset : self.offset + self.limit])

        page = list(queryset[self.offset : self.offset + self.limit])
        if page and len(page) < self.limit:
            # The last page: everything before it plus what it contains.
            self.total = self.offset + len(page)
        elif not page:
            # Past the end. The OFFSET scan just read about as many rows as
            # this count does, so the exact figure costs little more.
            self.total = queryset.count()
        else:
            # A full page: report at least one more item than this page ends
            # at, so a client paging while `offset + limit < total` goes on
            # until a short page gives the exact total.
            self.total = max(self.estimate(queryset), EXACT_COUNT_CAP + 1, self.offset + self.limit + 1)
        return page

    def count(self, queryset) -> int:
        """Count matches exactly, but stop at EXACT_COUNT_CAP + 1."""
        return queryset.order_by()[: EXACT_COUNT_CAP + 1].count()

    def estimate(self, queryset) -> int:
        """Return the planner's row estimate on PostgreSQL, an exact count elsewhere."""
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return queryset.count()
        sql, params = queryset.order_by().query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return int(plan[0]["Plan"]["Plan Rows"])

    def get_paginated_response(self, data):
        return Response({"data": data, "pagination": {"total": self.total, "limit": self.limit, "offset": self.offset}})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["data", "pagination"],
            "properties": {
                "data": schema,
                "pagination": {
                    "type": "object",
                    "required": ["total", "limit", "offset"],
                    "properties": {
                        "total": {
                            "type": "integer",
                            "description": (
                                f"Items matching the filters. Exact up to {EXACT_COUNT_CAP:,}; above that, "
                                "on a full page, an estimate from the database's statistics that is always "
                                "greater than `offset + limit`, so paging on while `offset + limit < total` "
                                "reaches the end. A page shorter than `limit` (or an empty page) always "
                                "carries the exact total."
                            ),
                        },
                        "limit": {"type": "integer", "description": "Page size applied, after clamping."},
                        "offset": {"type": "integer"},
                    },
                },
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "limit",
                "in": "query",
                "required": False,
                "description": f"Page size, 1 or more. Values above {MAX_LIMIT} are clamped to {MAX_LIMIT}.",
                "schema": {"type": "integer", "minimum": 1, "default": DEFAULT_LIMIT},
            },
            {
                "name": "offset",
                "in": "query",
                "required": False,
                "description": "Number of items to skip.",
                "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0},
            },
        ]
