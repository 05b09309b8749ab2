from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from conversations import services
from conversations.models import Conversation, Message
from workspaces.models import Member


class MessageInline(admin.TabularInline):
    """Messages of the conversation, read-only. Replies go through the form's `reply` field, so they are emailed."""

    model = Message
    extra = 0
    can_delete = False
    ordering = ["created_at", "id"]
    fields = ["created_at", "author_type", "author_member", "body", "delivery_status", "delivery_error"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author_member__user")


class ConversationAdminForm(forms.ModelForm):
    first_message = forms.CharField(
        widget=forms.Textarea,
        required=False,
        help_text="The customer's first message, 1-20,000 characters. No email is sent for it.",
    )
    reply = forms.CharField(
        widget=forms.Textarea,
        required=False,
        help_text=(
            "Optional agent reply, authored by your member in this workspace. "
            "It is emailed to the customer when the conversation has an email address."
        ),
    )

    class Meta:
        model = Conversation
        fields = ["product", "type", "source", "status", "priority", "subject", "customer_name", "customer_email"]

    def clean(self):
        cleaned = super().clean()
        if self.instance._state.adding:
            cleaned["first_message"] = self._clean_body("first_message")
        elif cleaned.get("reply", "").strip():
            cleaned["reply"] = self._clean_body("reply")
        return cleaned

    def _clean_body(self, name: str) -> str | None:
        try:
            return services.clean_message_body(self.cleaned_data.get(name, ""))
        except ValidationError as error:
            self.add_error(name, error.message_dict["body"])
            return None


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    form = ConversationAdminForm
    list_display = ["__str__", "product", "type", "status", "priority", "source", "customer_email", "last_message_at"]
    list_filter = ["product", "type", "status", "source", "priority"]
    list_select_related = ["product"]
    search_fields = ["subject", "customer_email", "messages__body", "id"]
    autocomplete_fields = ["product"]
    inlines = [MessageInline]

    create_fields = [
        "product",
        "type",
        "source",
        "status",
        "priority",
        "subject",
        "customer_name",
        "customer_email",
        "first_message",
    ]
    change_fields = [
        "id",
        "workspace",
        "product",
        "type",
        "source",
        "status",
        "priority",
        "subject",
        "customer_name",
        "customer_email",
        "created_at",
        "updated_at",
        "last_message_at",
        "linked_issues",
        "reply",
    ]
    # Only status and priority change after create, as in the API.
    change_readonly_fields = [name for name in change_fields if name not in ("status", "priority", "reply")]

    def get_fields(self, request, obj=None):
        return self.change_fields if obj else self.create_fields

    def get_readonly_fields(self, request, obj=None):
        return self.change_readonly_fields if obj else []

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("workspace", "product")

    @admin.display(description="Linked issues")
    def linked_issues(self, obj):
        issues = list(obj.issues.only("id", "shortcode", "title", "status"))
        if not issues:
            return "None"
        return format_html_join(mark_safe("<br>"), "{}", ((self._issue_link(issue),) for issue in issues))

    @staticmethod
    def _issue_link(issue):
        label = f"{issue.shortcode} {issue.title} ({issue.status})"
        try:
            url = reverse("admin:issues_issue_change", args=[issue.pk])
        except NoReverseMatch:
            # The issue admin is not registered in this deployment.
            return label
        return format_html('<a href="{}">{}</a>', url, label)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            created = services.conversation_create(
                workspace=obj.product.workspace,
                product=obj.product,
                message=data["first_message"],
                type=obj.type,
                source=obj.source,
                status=obj.status,
                priority=obj.priority,
                subject=obj.subject,
                customer_name=obj.customer_name,
                customer_email=obj.customer_email,
            )
            # The admin redirects and reports using obj, so point it at the saved row.
            obj.pk = created.pk
            obj._state.adding = False
            return

        # The form has already copied its values onto obj, so compare against the stored row.
        stored = Conversation.objects.get(pk=obj.pk)
        services.conversation_update(conversation=stored, status=obj.status, priority=obj.priority)
        if data.get("reply"):
            member = Member.objects.filter(workspace_id=stored.workspace_id, user=request.user).first()
            services.message_create(conversation=stored, body=data["reply"], author_member=member)
