import django_filters

from getresolved.api.filters import UUIDListFilter
from releases.models import Release
from workspaces.models import Product


def _workspace_products(request):
    return Product.objects.filter(workspace=request.user.workspace)


class ReleaseFilterSet(django_filters.FilterSet):
    product_id = UUIDListFilter(
        field_name="product_id",
        scope=_workspace_products,
        label="Comma-separated product ids; each must be a product of the workspace.",
    )

    class Meta:
        model = Release
        fields = []
