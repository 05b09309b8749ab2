from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from getresolved.api.serializers import StrictSerializer
from workspaces.models import Member, Product
from workspaces.services import PREFIX_RE, SLUG_MAX_LENGTH, SLUG_RE


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


# The services check the same patterns; the validators put them into openapi.json.
_SLUG_VALIDATOR = RegexValidator(
    SLUG_RE, "Use lowercase letters, digits and single hyphens, starting and ending with a letter or digit."
)
_PREFIX_VALIDATOR = RegexValidator(PREFIX_RE, "Use 1-3 uppercase letters or digits, such as 'GET'.")
# HOSTNAME_RE before the service lowercases the host and drops a trailing dot.
_HOST_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN_VALIDATOR = RegexValidator(
    rf"^{_HOST_LABEL}(?:\.{_HOST_LABEL})*\.?$",
    "Give a bare host name such as 'example.com', without scheme, port or path.",
)


class _ProductWriteFields(StrictSerializer):
    """Shape checks only; the product services apply the business rules."""

    name = serializers.CharField(max_length=200)
    slug = serializers.CharField(max_length=SLUG_MAX_LENGTH, required=False, validators=[_SLUG_VALIDATOR])
    issue_prefix = serializers.CharField(max_length=3, required=False, validators=[_PREFIX_VALIDATOR])
    widget_config = WidgetConfigField(required=False, allow_null=True)
    domain = serializers.CharField(max_length=253, required=False, allow_null=True, validators=[_DOMAIN_VALIDATOR])

    ignored_fields = ("id", "workspace_id", "widget_key", "created_at", "updated_at")


class ProductCreateSerializer(_ProductWriteFields):
    pass


class ProductUpdateSerializer(_ProductWriteFields):
    name = serializers.CharField(max_length=200, required=False)
