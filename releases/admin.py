import re

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from releases import services
from releases.models import Release
from workspaces.models import Product

# Service error keys that the admin form shows under a differently named field.
_FORM_FIELD_FOR = {"product_id": "product", "issue_ids": "issue_refs"}


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.workspace.slug})"


class ReleaseAdminForm(forms.ModelForm):
    """Create a release through `release_create`, so the admin applies the API's rules.

    The service runs in clean(), inside the transaction Django's admin opens
    for the whole add view. Its ValidationError then shows as form errors,
    and a failure after it rolls the release back. The created release becomes
    the form's instance, so the model validation that follows compares the
    version with other releases, not with the new row itself.
    """

    product = ProductChoiceField(queryset=Product.objects.select_related("workspace"))
    issue_refs = forms.CharField(
        label="Issues",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "UUIDs or shortcodes (such as GET-005) of done issues of the product, separated by "
            "commas, spaces or new lines. Each becomes released."
        ),
    )

    class Meta:
        model = Release
        fields = ["product", "title", "description", "version"]

    def clean(self):
        data = super().clean()
        if self.errors or not self.instance._state.adding:
            return data

        product = data["product"]
        try:
            self.instance = services.release_create(
                workspace=product.workspace,
                product=product,
                title=data.get("title"),
                description=data.get("description"),
                version=data.get("version"),
                issues_refs=[ref for ref in re.split(r"[\s,]+", data.get("issue_refs") or "") if ref],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                field = _FORM_FIELD_FOR.get(field, field)
                self.add_error(field if field in self.fields else None, errors)
        return data


class ReleaseIssueInline(admin.TabularInline):
    model = Release.issues.through
    verbose_name = "issue"
    verbose_name_plural = "issues"
    fields = ["issue_link", "issue_title", "issue_status"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("issue").order_by("issue__number")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="shortcode")
    def issue_link(self, link):
        try:
            url = reverse("admin:issues_issue_change", args=[link.issue.pk])
        except NoReverseMatch:
            return link.issue.shortcode
        return format_html('<a href="{}">{}</a>', url, link.issue.shortcode)

    @admin.display(description="title")
    def issue_title(self, link):
        return link.issue.title

    @admin.display(description="status")
    def issue_status(self, link):
        return link.issue.status


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    form = ReleaseAdminForm
    list_display = ["title", "version", "product", "workspace", "issue_count", "created_at"]
    list_filter = [("product", admin.RelatedOnlyFieldListFilter), "workspace"]
    list_select_related = ["product", "workspace"]
    search_fields = ["title", "version"]
    readonly_fields = ["id", "workspace", "created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(issue_count=Count("issues"))

    @admin.display(description="issues", ordering="issue_count")
    def issue_count(self, release):
        return release.issue_count

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["product", "title", "description", "version", "issue_refs"]
        return ["id", "workspace", "product", "title", "description", "version", "created_at"]

    def get_inlines(self, request, obj):
        return [ReleaseIssueInline] if obj is not None else []

    # A release is a record of what shipped: its issues stay released, so
    # editing or deleting it would leave them inconsistent.
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The form's clean() already created the release; drop the form's
        # unsaved copies of its fields.
        obj.refresh_from_db()
