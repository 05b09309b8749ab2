import django_filters
from drf_spectacular.utils import extend_schema_field

from getresolved.api.filters import CommaSeparatedFilter, choice_parser, parse_uuid
from issues.models import Issue, IssuePriority, IssueStatus
from workspaces.models import Member, Product


def _workspace_products(request):
    return Product.objects.filter(workspace=request.user.workspace)


def _workspace_members(request):
    return Member.objects.filter(workspace=request.user.workspace)


class IssueFilterSet(django_filters.FilterSet):
    """List filters: OR within one parameter, AND across parameters."""

    product_id = CommaSeparatedFilter(
        field_name="product",
        parse_value=parse_uuid,
        scope=_workspace_products,
        help_text="Product ids, comma-separated. An id outside this workspace is a validation_error.",
    )
    status = CommaSeparatedFilter(
        field_name="status",
        parse_value=choice_parser(IssueStatus.values),
        help_text="Statuses, comma-separated.",
    )
    priority = CommaSeparatedFilter(
        field_name="priority",
        parse_value=choice_parser(IssuePriority.values),
        help_text="Priorities, comma-separated.",
    )
    assignee_id = extend_schema_field(
        {
            "type": "string",
            "description": 'Member ids, comma-separated; "none" matches unassigned issues and may be mixed with ids.',
        }
    )(
        CommaSeparatedFilter(
            field_name="assignee",
            parse_value=parse_uuid,
            null_value="none",
            scope=_workspace_members,
        )
    )

    class Meta:
        model = Issue
        fields = []
