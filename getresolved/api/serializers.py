import copy

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
