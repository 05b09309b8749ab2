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
        return super().to_internal_value(data)


class StrictSerializer(StrictSerializerMixin, serializers.Serializer):
    pass


class StrictModelSerializer(StrictSerializerMixin, serializers.ModelSerializer):
    pass
