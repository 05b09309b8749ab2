from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from getresolved.api.serializers import StrictSerializer
from workspaces.models import Member, Product
from workspaces.services import SLUG_MAX_LENGTH


class MemberSerializer(serializers.ModelSerializer):
    user_id = serializers.UUIDField(allow_null=True, read_only=True)

    class Meta:
        model = Member
        fields = ["id", "user_id", "role", "display_name", "avatar_url", "created_at"]
        read_only_fields = fields


class MeSerializer(serializers.Serializer):
    workspace_id = serializers.UUIDField()
    api_key_id = serializers.UUIDField()
    member = MemberSerializer(allow_null=True)


@extend_schema_field(
    {
        # drf-spectacular adds "null" itself for allow_null fields, and every use allows null.
        "type": "object",
        "additionalProperties": True,
        "description": (
            "Free-form widget settings: a JSON object of at most 16 KiB (compact UTF-8), "
            "nested at most 32 levels, without U+0000, or null."
        ),
    }
)
class WidgetConfigField(serializers.JSONField):
    pass


class ProductSerializer(serializers.ModelSerializer):
    workspace_id = serializers.UUIDField(read_only=True)
    widget_config = WidgetConfigField(allow_null=True, read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "workspace_id",
            "name",
            "slug",
            "issue_prefix",
            "widget_key",
            "widget_config",
            "domain",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class _ProductWriteFields(StrictSerializer):
    """Shape checks only; the product services apply the business rules."""

    name = serializers.CharField(max_length=200)
    slug = serializers.CharField(max_length=SLUG_MAX_LENGTH, required=False)
    issue_prefix = serializers.CharField(max_length=3, required=False)
    widget_config = WidgetConfigField(required=False, allow_null=True)
    domain = serializers.CharField(max_length=253, required=False, allow_null=True)

    ignored_fields = ("id", "workspace_id", "widget_key", "created_at", "updated_at")


class ProductCreateSerializer(_ProductWriteFields):
    pass


class ProductUpdateSerializer(_ProductWriteFields):
    name = serializers.CharField(max_length=200, required=False)
    slug = serializers.CharField(max_length=SLUG_MAX_LENGTH, required=False)
    issue_prefix = serializers.CharField(max_length=3, required=False)
