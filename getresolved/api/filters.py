"""Comma-separated query filters: `status=pending,done` matches either value.

Every value is validated, so an unknown enum value or a malformed id is a
validation_error naming the parameter and the value, never an empty list.
An empty parameter (`status=`) and empty items (`status=done,`) are ignored.
"""

import uuid

import django_filters
from django import forms
from django.db.models import Q
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions

# Values accepted in one filter; more would only make a huge IN clause.
MAX_FILTER_VALUES = 100


class FilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend that reports the FilterSet's messages as they were rendered.

    django-filter's own translation applies `message % params` a second time,
    so a rejected value containing `%` (such as `?type=100%25`) raised a
    TypeError and returned 500.
    """

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise exceptions.ValidationError({name: list(messages) for name, messages in filterset.errors.items()})
        return filterset.qs


class CommaSeparatedWidget(forms.Widget):
    """Read `a,b` and also repeated parameters (`status=a&status=b`) as one list."""

    def value_from_datadict(self, data, files, name):
        raw_values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        items = []
        for raw in raw_values:
            if raw is None:
                continue
            items.extend(item.strip() for item in str(raw).split(","))
        return [item for item in items if item]


class CommaSeparatedField(forms.Field):
    """Validate each item with PARSE_VALUE; NULL_VALUE (such as "none") stands for null.

    With a QUERYSET, parsed ids must exist in it; callers pass a workspace-scoped
    queryset, so another workspace's id fails exactly like an unknown one.
    """

    widget = CommaSeparatedWidget

    def __init__(self, *, parse_value, null_value=None, queryset=None, **kwargs):
        super().__init__(**kwargs)
        self.parse_value = parse_value
        self.null_value = null_value
        self.queryset = queryset

    def clean(self, value):
        value = value or []
        if len(value) > MAX_FILTER_VALUES:
            raise forms.ValidationError(f"Too many values ({len(value)}). Give at most {MAX_FILTER_VALUES}.")
        # Every bad item is reported, not only the first.
        items, errors = [], []
        for raw in value:
            if self.null_value is not None and raw.lower() == self.null_value:
                parsed = None
            else:
                try:
                    parsed = self.parse_value(raw)
                except forms.ValidationError as error:
                    errors.extend(error.messages)
                    continue
            if parsed not in items:
                items.append(parsed)
        if errors:
            raise forms.ValidationError(" ".join(errors))
        self._check_exist(items)
        return items

    def _check_exist(self, items):
        ids = [item for item in items if item is not None]
        if self.queryset is None or not ids:
            return
        found = {str(pk) for pk in self.queryset.filter(pk__in=ids).values_list("pk", flat=True)}
        missing = [str(item) for item in ids if str(item) not in found]
        if missing:
            noun = self.queryset.model._meta.verbose_name
            raise forms.ValidationError(f"No {noun} with id {', '.join(missing)} in the workspace.")


def choice_parser(choices):
    """Build a PARSE_VALUE that accepts only CHOICES (a list of strings)."""
    allowed = list(choices)

    def parse(raw: str) -> str:
        if raw not in allowed:
            raise forms.ValidationError(f"Invalid value {raw[:50]!r}. Use one of: {', '.join(allowed)}.")
        return raw

    return parse


def parse_uuid(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise forms.ValidationError(f"{raw[:50]!r} is not a valid UUID.") from None


class CommaSeparatedFilter(django_filters.filters.BaseCSVFilter):
    """Match rows whose FIELD_NAME is any of the listed values (OR within the filter).

    Pass `parse_value` (see choice_parser and parse_uuid), optionally `null_value`
    to let a word match null, and optionally `scope`: a function of the request
    that returns the queryset the ids must exist in.
    BaseCSVFilter is the base so that drf-spectacular documents the parameter as
    an array in comma-separated form (style form, explode false).
    """

    base_field_class = CommaSeparatedField
    field_class = forms.Field

    def __init__(self, *args, scope=None, item_schema: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        if item_schema is not None:
            # drf-spectacular documents a BaseCSVFilter as an array of this item
            # schema, sent as one comma-separated parameter.
            extend_schema_field(item_schema)(self)

    @property
    def field(self):
        if self.scope is not None:
            request = getattr(self.parent, "request", None)
            self.extra["queryset"] = self.scope(request) if request is not None else None
        return super().field

    def filter(self, qs, value):
        if not value:
            return qs
        values = [item for item in value if item is not None]
        condition = Q()
        if values:
            condition |= Q(**{f"{self.field_name}__in": values})
        if len(values) < len(value):
            condition |= Q(**{f"{self.field_name}__isnull": True})
        return qs.filter(condition)


class ChoiceListFilter(CommaSeparatedFilter):
    """Any of a fixed list of string values, such as statuses."""

    def __init__(self, *args, choices, **kwargs):
        choices = list(choices)
        super().__init__(
            *args, parse_value=choice_parser(choices), item_schema={"type": "string", "enum": choices}, **kwargs
        )


class UUIDListFilter(CommaSeparatedFilter):
    """Any of a list of ids; with `scope`, each id must exist in the request's scoped queryset."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, parse_value=parse_uuid, item_schema={"type": "string", "format": "uuid"}, **kwargs)
