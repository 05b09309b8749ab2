import uuid

import django_filters
from django import forms
from django.core.exceptions import ValidationError

from releases.models import Release
from workspaces.models import Product

# Maximum number of ids in one comma-separated id filter.
MAX_FILTER_IDS = 100


class CommaSeparatedWidget(forms.TextInput):
    """Join repeated parameters, so `?x=a&x=b` reads like `?x=a,b`."""

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            return ",".join(data.getlist(name))
        return data.get(name)


class WorkspaceObjectsField(forms.Field):
    """Comma-separated UUIDs of objects in `queryset`, cleaned to a list of UUIDs.

    An id outside `queryset` (another workspace's object included) is invalid,
    with the same message as an id that never existed.
    """

    widget = CommaSeparatedWidget

    def __init__(self, *, queryset=None, object_name="object", **kwargs):
        self.queryset = queryset
        self.object_name = object_name
        super().__init__(**kwargs)

    def to_python(self, value):
        items = [item.strip() for item in (value or "").split(",")]
        items = [item for item in items if item]
        if len(items) > MAX_FILTER_IDS:
            raise ValidationError(f"Too many ids: at most {MAX_FILTER_IDS} are accepted.")
        ids = []
        for item in items:
            try:
                ids.append(uuid.UUID(item))
            except ValueError:
                raise ValidationError(f"{item[:50]!r} is not a valid UUID.") from None
        return ids

    def validate(self, value):
        super().validate(value)
        if not value:
            return
        found = set(self.queryset.filter(pk__in=value).values_list("pk", flat=True))
        missing = [str(pk) for pk in value if pk not in found]
        if missing:
            raise ValidationError(f"No {self.object_name} with id {', '.join(missing)} in the workspace.")


class WorkspaceObjectsFilter(django_filters.Filter):
    field_class = WorkspaceObjectsField

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": value})


class ReleaseFilterSet(django_filters.FilterSet):
    product_id = WorkspaceObjectsFilter(
        field_name="product_id",
        queryset=Product.objects.none(),
        object_name="product",
    )

    class Meta:
        model = Release
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # Scoped per request: the field can then only resolve this workspace's products.
        workspace = request.user.workspace if request is not None else None
        self.filters["product_id"].extra["queryset"] = Product.objects.filter(workspace=workspace)
