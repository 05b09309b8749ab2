from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from issues import services
from issues.models import CREATE_STATUSES, Issue
from issues.serializers import DESCRIPTION_MAX_LENGTH, RESOLUTION_COMMENT_MAX_LENGTH

# Fields the admin may change on an existing issue, each a keyword of services.issue_update.
_UPDATABLE_FIELDS = ("title", "description", "status", "priority", "assignee", "resolution_comment")


class IssueAdminForm(forms.ModelForm):
    """Applies the API's rules: the transition table, create statuses, lengths and workspace-scoped assignees."""

    description = forms.CharField(
        widget=forms.Textarea, required=False, max_length=DESCRIPTION_MAX_LENGTH, empty_value=None
    )
    resolution_comment = forms.CharField(
        widget=forms.Textarea, required=False, max_length=RESOLUTION_COMMENT_MAX_LENGTH, empty_value=None
    )

    class Meta:
        model = Issue
        fields = ["product", "title", "description", "status", "priority", "assignee", "resolution_comment"]

    def clean(self):
        data = super().clean()
        product = data.get("product") or (self.instance.product if self.instance.pk else None)
        status = data.get("status")
        assignee = data.get("assignee")

        if self.instance.pk:
            if status and "status" in self.changed_data:
                try:
                    self.instance.check_transition(status)
                except ValidationError as exc:
                    self.add_error("status", exc.message_dict["status"])
        elif status and status not in CREATE_STATUSES:
            self.add_error(
                "status", f"An issue cannot be created as {status}; use one of {', '.join(CREATE_STATUSES)}."
            )

        if assignee is not None and product is not None and assignee.workspace_id != product.workspace_id:
            self.add_error("assignee", "This member belongs to another workspace than the product.")
        return data


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    form = IssueAdminForm
    list_display = ["shortcode", "title", "product", "status", "priority", "assignee", "created_at"]
    list_filter = ["status", "priority", "product__workspace", "product"]
    list_select_related = ["product", "assignee", "assignee__user"]
    search_fields = ["shortcode", "title"]
    raw_id_fields = ["assignee"]
    readonly_fields = ["id", "shortcode", "workspace", "linked_conversations", "created_at", "updated_at"]
    ordering = ["-created_at", "-id"]

    def get_readonly_fields(self, request, obj=None):
        # The product fixes the shortcode and the workspace, so it cannot change.
        return [*self.readonly_fields, "product"] if obj else self.readonly_fields

    @admin.display(description="Linked conversations")
    def linked_conversations(self, obj):
        if not obj.pk:
            return "-"
        return ", ".join(str(conversation) for conversation in obj.conversations.all()) or "-"

    def save_model(self, request, obj, form, change):
        # Writes go through the services, so the shortcode is allocated under the
        # product lock and the transition table is checked again under the issue lock.
        if change:
            changes = {name: form.cleaned_data[name] for name in _UPDATABLE_FIELDS if name in form.changed_data}
            saved = services.issue_update(issue=obj, **changes)
        else:
            product = form.cleaned_data["product"]
            fields = {name: form.cleaned_data.get(name) for name in _UPDATABLE_FIELDS}
            saved = services.issue_create(workspace=product.workspace, product=product, **fields)
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # The form has no many-to-many fields; conversations are linked through the API.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


# The provenance admin of the deduplicating create.
from issues.dedup import admin as dedup_admin  # noqa: E402, F401
