"""Django admin for workspaces, members, API keys and products."""

import re

import pytest
from rest_framework.test import APIClient

from issues.services import issue_create
from workspaces import services
from workspaces.models import ApiKey, Product, Workspace

SECRET_RE = re.compile(r"gr_[A-Za-z0-9_-]{20,}")


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(username="root", email="root@example.com", password="pw")
    client.force_login(user)
    return client


def add_key(admin_client, workspace, **fields):
    data = {
        "workspace": str(workspace.pk),
        "created_by": "",
        "name": "from admin",
        "expires_at_0": "",
        "expires_at_1": "",
    }
    data.update(fields)
    return admin_client.post("/admin/workspaces/apikey/add/", data)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/workspaces/workspace/",
        "/admin/workspaces/member/",
        "/admin/workspaces/apikey/",
        "/admin/workspaces/product/",
        "/admin/workspaces/user/",
    ],
)
def test_changelists_render_with_search_and_filters(admin_client, product, api_key, path):
    assert admin_client.get(path).status_code == 200
    assert admin_client.get(path, {"q": "acme"}).status_code == 200


def test_changelist_filters_apply(admin_client, product, api_key, other_product):
    assert admin_client.get("/admin/workspaces/workspace/", {"is_active__exact": "1"}).status_code == 200
    assert admin_client.get("/admin/workspaces/member/", {"role__exact": "owner"}).status_code == 200
    assert admin_client.get("/admin/workspaces/apikey/", {"read_only__exact": "0"}).status_code == 200
    assert admin_client.get("/admin/workspaces/apikey/", {"revoked_at__isempty": "1"}).status_code == 200
    response = admin_client.get("/admin/workspaces/product/", {"workspace__id__exact": str(product.workspace_id)})
    assert response.status_code == 200
    assert "Outsider Product" not in response.content.decode()


def test_product_search_by_prefix(admin_client, product, other_product):
    content = admin_client.get("/admin/workspaces/product/", {"q": "GET"}).content.decode()

    assert "GetResolved" in content
    assert "Outsider Product" not in content


def test_api_key_secret_shown_once_after_add(admin_client, workspace, owner):
    response = add_key(admin_client, workspace, created_by=str(owner.pk))

    assert response.status_code == 200
    content = response.content.decode()
    secrets = set(SECRET_RE.findall(content))
    assert len(secrets) == 1
    secret = secrets.pop()
    assert "no-store" in response["Cache-Control"]

    key = ApiKey.objects.get()
    assert key.prefix == secret[:11]
    assert key.created_by == owner
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    me = client.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["data"]["api_key_id"] == str(key.pk)

    for path in (f"/admin/workspaces/apikey/{key.pk}/change/", "/admin/workspaces/apikey/"):
        page = admin_client.get(path)
        assert page.status_code == 200
        assert secret not in page.content.decode()
        assert key.prefix in page.content.decode()


def test_api_key_foreign_member_rejected(admin_client, workspace, other_member):
    response = add_key(admin_client, workspace, created_by=str(other_member.pk))

    assert response.status_code == 200
    assert not SECRET_RE.search(response.content.decode())
    assert response.context["adminform"].form.errors
    assert ApiKey.objects.count() == 0


def test_api_key_change_keeps_hash(admin_client, api_key):
    original_hash = api_key.key_hash
    data = {
        "name": "renamed",
        "read_only": "on",
        "expires_at_0": "",
        "expires_at_1": "",
        "revoked_at_0": "",
        "revoked_at_1": "",
    }

    response = admin_client.post(f"/admin/workspaces/apikey/{api_key.pk}/change/", data)

    assert response.status_code == 302
    api_key.refresh_from_db()
    assert api_key.name == "renamed"
    assert api_key.read_only is True
    assert api_key.key_hash == original_hash


def test_api_key_revoke_action(admin_client, key_and_secret):
    key, secret = key_and_secret

    response = admin_client.post(
        "/admin/workspaces/apikey/", {"action": "revoke_keys", "_selected_action": [str(key.pk)]}
    )

    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None


def product_form(workspace, **fields):
    data = {
        "workspace": str(workspace.pk),
        "name": "Admin Product",
        "slug": "",
        "issue_prefix": "",
        "widget_config": "",
        "domain": "",
    }
    data.update(fields)
    return data


def test_product_add_uses_services(admin_client, workspace, product):
    response = admin_client.post("/admin/workspaces/product/add/", product_form(workspace, name="GetResolved"))

    assert response.status_code == 302
    created = Product.objects.exclude(pk=product.pk).get()
    assert created.slug == "getresolved-2"
    assert created.issue_prefix != "GET"
    assert created.widget_key.startswith("wk_")


def test_product_add_colliding_prefix_is_form_error(admin_client, workspace, product):
    response = admin_client.post("/admin/workspaces/product/add/", product_form(workspace, issue_prefix="GET"))

    assert response.status_code == 200
    assert "issue_prefix" in response.context["adminform"].form.errors
    assert Product.objects.count() == 1


def test_product_prefix_carried_by_issues_rejected(admin_client, workspace, product):
    issue_create(workspace=workspace, product=product, title="First")
    services.product_update(product=product, issue_prefix="NEW")

    response = admin_client.post("/admin/workspaces/product/add/", product_form(workspace, issue_prefix="GET"))

    assert response.status_code == 200
    assert "issue_prefix" in response.context["adminform"].form.errors


@pytest.mark.parametrize(
    ("field", "value"),
    [("slug", "Bad Slug"), ("issue_prefix", "get"), ("domain", "https://x.com"), ("widget_config", "[1, 2]")],
)
def test_product_add_invalid_field_is_form_error(admin_client, workspace, field, value):
    response = admin_client.post("/admin/workspaces/product/add/", product_form(workspace, **{field: value}))

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert Product.objects.count() == 0


def test_product_change_slug_collision_is_form_error(admin_client, workspace, product):
    second = services.product_create(workspace=workspace, name="Second")
    data = product_form(workspace, name="Second", slug="getresolved", issue_prefix=second.issue_prefix)

    response = admin_client.post(f"/admin/workspaces/product/{second.pk}/change/", data)

    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors


def test_product_change_prefix_collision_is_form_error(admin_client, workspace, product):
    second = services.product_create(workspace=workspace, name="Second")
    data = product_form(workspace, name="Second", slug="second", issue_prefix="GET")

    response = admin_client.post(f"/admin/workspaces/product/{second.pk}/change/", data)

    assert response.status_code == 200
    assert "issue_prefix" in response.context["adminform"].form.errors
    second.refresh_from_db()
    assert second.issue_prefix != "GET"


def test_product_change_saves(admin_client, workspace, product):
    data = product_form(workspace, name="Renamed", slug="renamed", issue_prefix="REN", domain="help.example.com")

    response = admin_client.post(f"/admin/workspaces/product/{product.pk}/change/", data)

    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.name, product.slug, product.issue_prefix, product.domain) == (
        "Renamed",
        "renamed",
        "REN",
        "help.example.com",
    )


def workspace_form(**fields):
    data = {
        "name": "Admin Made",
        "slug": "admin-made",
        "is_active": "on",
        "members-TOTAL_FORMS": "0",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    return data


def test_workspace_add_form(admin_client):
    response = admin_client.post("/admin/workspaces/workspace/add/", workspace_form())

    assert response.status_code == 302
    assert Workspace.objects.get().slug == "admin-made"


@pytest.mark.parametrize("slug", ["Admin_Made", "UPPER", "-x"])
def test_workspace_add_bad_slug_is_form_error(admin_client, slug):
    response = admin_client.post("/admin/workspaces/workspace/add/", workspace_form(slug=slug))

    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    assert Workspace.objects.count() == 0


def member_form(workspace, **fields):
    data = {"workspace": str(workspace.pk), "user": "", "role": "agent", "display_name": "Added", "avatar_url": ""}
    data.update(fields)
    return data


def test_member_add_form(admin_client, workspace):
    response = admin_client.post("/admin/workspaces/member/add/", member_form(workspace))

    assert response.status_code == 302
    assert workspace.members.get().display_name == "Added"


def test_member_add_same_user_twice_is_form_error(admin_client, workspace, django_user_model):
    user = django_user_model.objects.create_user(username="ada", email="ada@example.com")
    services.member_create(workspace=workspace, role="agent", email="ada@example.com")

    response = admin_client.post("/admin/workspaces/member/add/", member_form(workspace, user=str(user.pk)))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert workspace.members.count() == 1


def test_member_add_bad_role_is_form_error(admin_client, workspace):
    response = admin_client.post("/admin/workspaces/member/add/", member_form(workspace, role="boss"))

    assert response.status_code == 200
    assert "role" in response.context["adminform"].form.errors
