from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from issues.dedup.models import IssueApiSource


@admin.register(IssueApiSource)
class IssueApiSourceAdmin(admin.ModelAdmin):
    """Read-only provenance: rows are written only by the deduplicating create."""

    list_display = ["created_at", "outcome", "issue_link", "matcher", "confidence", "matching_ms", "product"]
    list_filter = ["outcome", "matcher"]
    list_select_related = ["issue", "product"]
    search_fields = ["id", "issue__shortcode", "issue__title", "reason", "fallback_reason"]
    date_hierarchy = "created_at"
    fields = [
        "id",
        "created_at",
        "workspace",
        "product",
        "api_key",
        "outcome",
        "issue_link",
        "matcher",
        "confidence",
        "reason",
        "fallback_reason",
        "matching_ms",
        "request_body",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="issue", ordering="issue__shortcode")
    def issue_link(self, obj):
        url = reverse("admin:issues_issue_change", args=[obj.issue_id])
        return format_html('<a href="{}">{}</a>', url, obj.issue.shortcode)
