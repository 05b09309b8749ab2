"""Comma-separated query filters for the list endpoints.

`status=open,in_progress` matches either value. Each value is validated: an
unknown choice or a malformed UUID is a validation_error naming the parameter
(through the FilterSet form) and the value. An empty parameter is ignored.
"""

import uuid

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema_field

# Upper bound on the values one parameter may carry, so a query string cannot
# expand into an arbitrarily long SQL IN list.
MAX_VALUES = 100


class RepeatableTextInput(forms.TextInput):
    """A text input that joins repeated parameters (`status=a&status=b`) with commas."""

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            return ",".join(data.getlist(name))
        return data.get(name)


class CommaSeparatedField(forms.Field):
    """A form field for `a,b,c` that cleans every item with `parse_item`.

    Returns the de-duplicated list of parsed items, or None when the parameter
    is empty, so the filter is skipped.
    """

    widget = RepeatableTextInput

    def __init__(self, *, parse_item, **kwargs):
        self.parse_item = parse_item
        super().__init__(**kwargs)

    def to_python(self, value):
        if value is None or not str(value).strip():
            return None
        items = [item.strip() for item in str(value).split(",") if item.strip()]
        if len(items) > MAX_VALUES:
            raise ValidationError(f"Too many values: give at most {MAX_VALUES} comma-separated values.")

        # Every bad item is reported, not only the first.
        parsed, errors = [], []
        for item in items:
            try:
                parsed_item = self.parse_item(item)
            except ValidationError as error:
                errors.extend(error.messages)
                continue
            if parsed_item not in parsed:
                parsed.append(parsed_item)
        if errors:
            raise ValidationError(errors)
        return parsed or None


class CommaSeparatedFilter(django_filters.BaseCSVFilter):
    """Match rows whose field equals any of the comma-separated values."""

    # BaseCSVFilter combines base_field_class with field_class, and ours does the splitting.
    base_field_class = CommaSeparatedField
    field_class = forms.Field

    def __init__(self, *args, parse_item, item_schema: dict, **kwargs):
        kwargs.setdefault("lookup_expr", "in")
        super().__init__(*args, parse_item=parse_item, **kwargs)
        # drf-spectacular documents a BaseCSVFilter as an array sent with
        # style=form, explode=false, i.e. one comma-separated parameter.
        extend_schema_field({**item_schema, "description": kwargs.get("label") or ""})(self)

    def filter(self, qs, value):
        if not value:
            return qs
        return super().filter(qs, value)


def _choice_parser(choices: list[str]):
    def parse(item: str) -> str:
        if item not in choices:
            raise ValidationError(f"Unknown value '{item[:50]}'. Use any of {', '.join(choices)}.")
        return item

    return parse


def _parse_uuid(item: str) -> uuid.UUID:
    try:
        return uuid.UUID(item)
    except ValueError:
        raise ValidationError(f"'{item[:50]}' is not a valid UUID.") from None


class ChoiceListFilter(CommaSeparatedFilter):
    """Any of a fixed list of values, such as statuses."""

    def __init__(self, *args, choices: list[str], **kwargs):
        super().__init__(
            *args,
            parse_item=_choice_parser(list(choices)),
            item_schema={"type": "string", "enum": list(choices)},
            **kwargs,
        )


class UUIDListFilter(CommaSeparatedFilter):
    """Any of a list of UUIDs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, parse_item=_parse_uuid, item_schema={"type": "string", "format": "uuid"}, **kwargs)
