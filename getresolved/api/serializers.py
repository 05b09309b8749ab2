"""Base serializers for request bodies.

Request bodies are checked more strictly than DRF does by default: unknown
keys are rejected, and a string field accepts only a JSON string (DRF would
turn `123` into `"123"`). String fields reject control characters, except
in fields marked multi-line with `style=MULTILINE`.
"""

import copy
import unicodedata

from rest_framework import serializers

# DRF's marker for a multi-line text input. Multi-line fields (message bodies,
# descriptions) may contain any control character except NUL, because pasted
# logs and terminal output carry escape sequences.
MULTILINE = {"base_template": "textarea.html"}

# Tab, line feed and carriage return are allowed in every string field.
_ALLOWED_CONTROL_CHARACTERS = frozenset("\t\n\r")


def is_multiline(field: serializers.Field) -> bool:
    return field.style.get("base_template") == MULTILINE["base_template"]


def first_control_character(value: str) -> str | None:
    """Return the first control character of VALUE that no string field accepts, or None."""
    for character in value:
        if unicodedata.category(character) == "Cc" and character not in _ALLOWED_CONTROL_CHARACTERS:
            return character
    return None


def string_error(field: serializers.Field, value) -> str | None:
    """Return why VALUE is not acceptable for the string FIELD, or None.

    NUL bytes are left to DRF, which rejects them in every CharField.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        return f"Must be a string, not {_json_type(value)}."
    if is_multiline(field):
        return None
    control = first_control_character(value.replace("\x00", ""))
    if control is not None:
        return (
            f"Contains the control character U+{ord(control):04X}. "
            "This field allows no control characters except tab, line feed and carriage return."
        )
    return None


def _json_type(value) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return "a non-string value"


def _string_errors(fields, data: dict) -> dict:
    errors = {}
    for name, value in data.items():
        field = fields.get(name)
        if isinstance(field, serializers.CharField):
            message = string_error(field, value)
        elif isinstance(field, serializers.ListField) and isinstance(field.child, serializers.CharField):
            message = _first_item_error(field.child, value)
        else:
            continue
        if message:
            errors[name] = message
    return errors


def _first_item_error(child: serializers.Field, value) -> str | None:
    if not isinstance(value, list):
        return None
    for index, item in enumerate(value):
        error = string_error(child, item)
        if error:
            return f"Item {index}: {error}"
    return None


class StrictSerializerMixin:
    """Reject body keys the serializer does not know, so a typo never passes silently.

    Read-only fields of the resource, listed in `ignored_fields` (id, created_at,
    ...), may be echoed back in a body and are dropped before validation. String
    fields reject non-string values and, unless multi-line, control characters.
    """

    ignored_fields: tuple[str, ...] = ()

    def to_internal_value(self, data):
        string_errors = {}
        if isinstance(data, dict):
            data = {key: value for key, value in data.items() if key not in self.ignored_fields}
            known = set(self.fields)
            unknown = sorted(key for key in data if key not in known)
            if unknown:
                raise serializers.ValidationError({key: "Unknown field." for key in unknown})
            string_errors = _string_errors(self.fields, data)

        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            if string_errors and isinstance(error.detail, dict):
                raise serializers.ValidationError({**error.detail, **string_errors}) from None
            raise
        if string_errors:
            raise serializers.ValidationError(string_errors)
        return value


class StrictSerializer(StrictSerializerMixin, serializers.Serializer):
    pass


class StrictModelSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    pass


class OptionalTextField(serializers.CharField):
    """Optional, nullable text where a blank value (after trimming) is stored as null.

    One empty value per field keeps clients from having to tell "" from null.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty):
        # CharField returns "" for blank input without calling to_internal_value.
        value = super().run_validation(data)
        return value or None


class CachedFieldsMixin:
    # Builds a ModelSerializer's fields once per class and hands each instance a
    # deep copy. ModelSerializer.get_fields inspects the model and builds every
    # field again for each serializer instance, which was the largest part of
    # serializing one issue. The copy is still needed because binding a field to
    # its parent mutates it. Only for serializers whose fields depend on neither
    # the instance nor the context. No docstring: drf-spectacular would publish
    # it as the description of every component without one of its own.

    def get_fields(self):
        cls = type(self)
        # Look in the class's own namespace so a subclass never reuses its parent's fields.
        prototypes = cls.__dict__.get("_prototype_fields")
        if prototypes is None:
            prototypes = super().get_fields()
            cls._prototype_fields = prototypes
        return copy.deepcopy(prototypes)
