import django_filters

from conversations.models import Conversation
from getresolved.api.filters import ChoiceListFilter, UUIDListFilter
from workspaces.models import Product


def _workspace_products(request):
    return Product.objects.filter(workspace=request.user.workspace)


class ConversationFilterSet(django_filters.FilterSet):
    product_id = UUIDListFilter(
        field_name="product_id",
        scope=_workspace_products,
        label="Comma-separated product ids; each must be a product of the workspace.",
    )
    type = ChoiceListFilter(choices=Conversation.Type.values, label="Comma-separated conversation types.")
    status = ChoiceListFilter(choices=Conversation.Status.values, label="Comma-separated statuses.")
    priority = ChoiceListFilter(choices=Conversation.Priority.values, label="Comma-separated priorities.")

    class Meta:
        model = Conversation
        fields = ["product_id", "type", "status", "priority"]
