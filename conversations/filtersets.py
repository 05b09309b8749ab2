import django_filters
from django.core.exceptions import ValidationError

from conversations.models import Conversation
from getresolved.api.filters import ChoiceListFilter, UUIDListFilter
from workspaces.models import Product


class ConversationFilterSet(django_filters.FilterSet):
    product_id = UUIDListFilter(
        field_name="product_id",
        method="filter_product",
        label="Comma-separated product ids; each must be a product of the workspace.",
    )
    type = ChoiceListFilter(choices=Conversation.Type.values, label="Comma-separated conversation types.")
    status = ChoiceListFilter(choices=Conversation.Status.values, label="Comma-separated statuses.")
    priority = ChoiceListFilter(choices=Conversation.Priority.values, label="Comma-separated priorities.")

    class Meta:
        model = Conversation
        fields = ["product_id", "type", "status", "priority"]

    def filter_product(self, queryset, name, value):
        if not value:
            return queryset
        # Another workspace's product is reported exactly like a missing one.
        known = set(
            Product.objects.filter(workspace=self.request.user.workspace, pk__in=value).values_list("pk", flat=True)
        )
        unknown = [str(product_id) for product_id in value if product_id not in known]
        if unknown:
            noun = "id" if len(unknown) == 1 else "ids"
            raise ValidationError({"product_id": f"No product with {noun} {', '.join(unknown)} in the workspace."})
        return queryset.filter(product_id__in=value)
