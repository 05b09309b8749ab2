from rest_framework import serializers

from getresolved.api.serializers import MULTILINE, StrictSerializer
from issues.serializers import IssueSerializer
from releases import services
from releases.models import Release
from workspaces.models import Product


class ReleaseIssueSerializer(IssueSerializer):
    """An issue as listed inside a release: without description or resolution comment."""

    class Meta(IssueSerializer.Meta):
        fields = [name for name in IssueSerializer.Meta.fields if name not in ("description", "resolution_comment")]
        read_only_fields = fields


class ReleaseSerializer(serializers.ModelSerializer):
    product_id = serializers.UUIDField(read_only=True)

    class Meta:
        model = Release
        fields = ["id", "product_id", "title", "description", "version", "created_at"]
        read_only_fields = fields


class ReleaseDetailSerializer(ReleaseSerializer):
    issues = ReleaseIssueSerializer(many=True, read_only=True, help_text="The released issues, oldest first.")

    class Meta(ReleaseSerializer.Meta):
        fields = [*ReleaseSerializer.Meta.fields, "issues"]
        read_only_fields = fields


class ReleaseCreateSerializer(StrictSerializer):
    """A new release of a product and the done issues it ships."""

    # Shape checks only: `release_create` applies the business rules.

    product_id = serializers.UUIDField(help_text="A product of the key's workspace.")
    title = serializers.CharField(max_length=services.TITLE_MAX_LENGTH)
    description = serializers.CharField(
        max_length=services.DESCRIPTION_MAX_LENGTH,
        style=MULTILINE,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="Blank is stored as null.",
    )
    version = serializers.CharField(
        max_length=services.VERSION_MAX_LENGTH,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="Unique per product; blank is stored as null, and any number of releases may have no version.",
    )
    issue_ids = serializers.ListField(
        child=serializers.CharField(max_length=100),
        required=False,
        max_length=services.MAX_ISSUES_PER_RELEASE,
        help_text=(
            "UUIDs or shortcodes (case-insensitive) of done issues of the product; each becomes released. "
            "An issue named twice is included once."
        ),
    )

    ignored_fields = ("id", "created_at", "issues")

    def validate_product_id(self, value):
        workspace = self.context["request"].user.workspace
        product = Product.objects.filter(workspace=workspace, pk=value).first()
        if product is None:
            raise serializers.ValidationError("No product with this id in the workspace.")
        return product
