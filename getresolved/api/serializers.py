from rest_framework import serializers


class StrictSerializerMixin:
    """Reject body keys the serializer does not know, so a typo never passes silently.

    Read-only fields of the resource, listed in `ignored_fields` (id, created_at,
    ...), may be echoed back in a body and are dropped before validation.
    """

    ignored_fields: tuple[str, ...] = ()

    def to_internal_value(self, data):
        if isinstance(data, dict):
            data = {key: value for key, value in data.items() if key not in self.ignored_fields}
            known = set(self.fields)
            unknown = sorted(key for key in data if key not in known)
            if unknown:
                raise serializers.ValidationError({key: "Unknown field." for key in unknown})
            # DRF's CharField turns 5 into "5"; a number where a string belongs is
            # more likely a client bug than an intended value.
            numbers = sorted(
                key
                for key, value in data.items()
                if isinstance(self.fields[key], serializers.CharField)
                and isinstance(value, (int, float))
                and not isinstance(value, bool)
            )
            if numbers:
                raise serializers.ValidationError({key: "Must be a string, not a number." for key in numbers})
        return super().to_internal_value(data)


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
