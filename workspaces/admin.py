from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db import models
from django.template.response import TemplateResponse

from workspaces import services
from workspaces.models import ApiKey, Member, Product, User, Workspace


@admin.register(User)
class GetResolvedUserAdmin(UserAdmin):
    pass


# Django 5.x warns that URLField's default scheme becomes https in 6.0; choose it now.
_URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0
    fields = ["display_name", "role", "user", "avatar_url"]
    raw_id_fields = ["user"]
    formfield_overrides = _URL_FIELD_OVERRIDES


class WorkspaceAdminForm(forms.ModelForm):
    class Meta:
        model = Workspace
        fields = ["name", "slug", "is_active"]

    def clean_slug(self):
        # SlugField alone allows uppercase and underscores, which the commands'
        # case-insensitive slug lookup and the API's slug rule do not.
        slug = self.cleaned_data["slug"]
        try:
            return services.validate_slug(slug)
        except ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["slug"]) from None


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    form = WorkspaceAdminForm
    list_display = ["name", "slug", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug", "id"]
    readonly_fields = ["id", "created_at"]
    inlines = [MemberInline]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["__str__", "workspace", "role", "user", "created_at"]
    list_filter = ["role", "workspace"]
    list_select_related = ["workspace", "user"]
    search_fields = ["display_name", "user__email", "user__username", "id"]
    raw_id_fields = ["user"]
    formfield_overrides = _URL_FIELD_OVERRIDES
    readonly_fields = ["id", "created_at"]


class ApiKeyAdminForm(forms.ModelForm):
    class Meta:
        model = ApiKey
        fields = ["workspace", "created_by", "name", "read_only", "expires_at", "revoked_at"]

    def clean(self):
        data = super().clean()
        workspace = data.get("workspace") or (None if self.instance._state.adding else self.instance.workspace)
        created_by = data.get("created_by")
        if workspace is not None and created_by is not None and created_by.workspace_id != workspace.pk:
            self.add_error("created_by", "This member belongs to another workspace; pick one of the key's workspace.")
        return data


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    form = ApiKeyAdminForm
    list_display = [
        "prefix",
        "name",
        "workspace",
        "created_by",
        "read_only",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    list_filter = ["read_only", ("revoked_at", admin.EmptyFieldListFilter), "workspace"]
    list_select_related = ["workspace", "created_by"]
    search_fields = ["prefix", "name", "workspace__name", "workspace__slug"]
    readonly_fields = ["id", "prefix", "last_used_at", "created_at"]
    actions = ["revoke_keys"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["workspace", "created_by", "name", "read_only", "expires_at"]
        return [
            "id",
            "prefix",
            "workspace",
            "created_by",
            "name",
            "read_only",
            "expires_at",
            "revoked_at",
            "last_used_at",
            "created_at",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [*self.readonly_fields, "workspace", "created_by"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        secret = ApiKey.generate_secret()
        obj.set_secret(secret)
        super().save_model(request, obj, form, change)
        # Kept on the request only, so the page after saving can show it once.
        request._issued_api_key_secret = secret

    def response_add(self, request, obj, post_url_continue=None):
        secret = getattr(request, "_issued_api_key_secret", None)
        if secret is None:
            return super().response_add(request, obj, post_url_continue)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "api_key": obj,
            "secret": secret,
            "title": "API key created",
        }
        response = TemplateResponse(request, "admin/workspaces/apikey/secret.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="Revoke selected API keys")
    def revoke_keys(self, request, queryset):
        for key in queryset:
            services.api_key_revoke(key=key)
        self.message_user(request, f"Revoked {queryset.count()} key(s).", messages.SUCCESS)


class ProductAdminForm(forms.ModelForm):
    """Runs the product service's validators, so the admin rejects what the API rejects."""

    slug = forms.CharField(max_length=50, required=False, help_text="Derived from the name when empty.")
    issue_prefix = forms.CharField(max_length=3, required=False, help_text="Derived from the name when empty.")

    class Meta:
        model = Product
        fields = ["workspace", "name", "slug", "issue_prefix", "widget_config", "domain"]

    def clean(self):
        data = super().clean()
        # A new instance already has its UUID primary key, so pk cannot tell add from change.
        existing = None if self.instance._state.adding else self.instance
        workspace = existing.workspace if existing else data.get("workspace")
        try:
            services.validate_product_name(data.get("name"))
            if data.get("slug"):
                services.validate_slug(data["slug"])
            if data.get("issue_prefix"):
                services.validate_prefix(data["issue_prefix"])
                if workspace is not None:
                    conflict = services.prefix_conflict(workspace, data["issue_prefix"], existing)
                    if conflict:
                        raise ValidationError({"issue_prefix": conflict})
            elif existing:
                raise ValidationError({"issue_prefix": "An existing product needs an issue prefix."})
            data["domain"] = services.validate_domain(data.get("domain") or None)
            services.validate_widget_config(data.get("widget_config"))
            # On add the service suffixes a taken slug, as the API does; on change a clash is an error.
            if existing and data.get("slug"):
                clash = Product.objects.filter(workspace=workspace, slug=data["slug"]).exclude(pk=existing.pk)
                if clash.exists():
                    raise ValidationError({"slug": "Another product in this workspace already uses this slug."})
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return data

    def validate_unique(self):
        # Uniqueness is checked in clean() and by the service, which suffixes on create.
        pass


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    form = ProductAdminForm
    list_display = ["name", "slug", "issue_prefix", "workspace", "domain", "created_at"]
    list_filter = ["workspace"]
    list_select_related = ["workspace"]
    search_fields = ["name", "slug", "issue_prefix", "domain", "widget_key"]
    readonly_fields = ["id", "widget_key", "issue_counter", "created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "workspace"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data.get(name) for name in ("name", "widget_config", "domain")}
        for name in ("slug", "issue_prefix"):
            if form.cleaned_data.get(name):
                fields[name] = form.cleaned_data[name]
        if change:
            saved = services.product_update(product=obj, **fields)
        else:
            saved = services.product_create(workspace=form.cleaned_data["workspace"], **fields)
        obj.pk = saved.pk
        obj.refresh_from_db()
