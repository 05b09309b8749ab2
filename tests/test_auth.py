"""Bearer authentication, key states, read-only keys and disabled workspaces."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from workspaces import services
from workspaces.models import ApiKey


def client_with(header: str | None) -> APIClient:
    client = APIClient()
    if header is not None:
        client.credentials(HTTP_AUTHORIZATION=header)
    return client


def assert_unauthorized(response):
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    body = response.json()
    assert body["error_code"] == "unauthorized"
    assert body["detail"]


def test_missing_header_is_unauthorized(db):
    assert_unauthorized(client_with(None).get("/api/v1/me"))


@pytest.mark.parametrize(
    "header",
    ["Basic dXNlcjpwYXNz", "Token gr_abc", "Bearer", "Bearer    ", "gr_only_the_secret"],
)
def test_wrong_scheme_is_unauthorized(db, header):
    assert_unauthorized(client_with(header).get("/api/v1/me"))


def test_unknown_key_is_unauthorized(workspace):
    assert_unauthorized(client_with("Bearer gr_thiskeywasneverissued").get("/api/v1/me"))


def test_key_without_gr_prefix_is_unauthorized(db):
    assert_unauthorized(client_with("Bearer sk_something").get("/api/v1/me"))


def test_overlong_key_is_unauthorized(db):
    assert_unauthorized(client_with("Bearer gr_" + "a" * 500).get("/api/v1/me"))


def test_lowercase_scheme_is_accepted(key_and_secret):
    _, secret = key_and_secret
    assert client_with(f"bearer {secret}").get("/api/v1/me").status_code == 200


def test_revoked_key_is_unauthorized(key_and_secret):
    key, secret = key_and_secret
    services.api_key_revoke(key=key)

    assert_unauthorized(client_with(f"Bearer {secret}").get("/api/v1/me"))


def test_expired_key_is_unauthorized(key_and_secret):
    key, secret = key_and_secret
    ApiKey.objects.filter(pk=key.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert_unauthorized(client_with(f"Bearer {secret}").get("/api/v1/me"))


def test_key_before_expiry_is_accepted(workspace):
    _, secret = services.api_key_issue(workspace=workspace, expires_in_days=1)

    assert client_with(f"Bearer {secret}").get("/api/v1/me").status_code == 200


def test_only_hash_of_secret_is_stored(key_and_secret):
    key, secret = key_and_secret
    key.refresh_from_db()
    stored = [str(value) for value in ApiKey.objects.filter(pk=key.pk).values().first().values()]

    assert secret not in stored
    assert key.prefix == secret[:11]
    assert len(key.key_hash) == 64


def test_read_only_key_can_read(read_only_api):
    assert read_only_api.get("/api/v1/products").status_code == 200


def test_read_only_key_on_write_is_forbidden(read_only_api):
    response = read_only_api.post("/api/v1/products", {"name": "Blocked"}, format="json")

    assert response.status_code == 403
    assert response.json()["error_code"] == "forbidden"
    assert "read-only" in response.json()["detail"]


def test_read_only_key_on_patch_is_forbidden(read_only_api, product):
    response = read_only_api.patch(f"/api/v1/products/{product.pk}", {"name": "Blocked"}, format="json")

    assert response.status_code == 403
    product.refresh_from_db()
    assert product.name == "GetResolved"


def test_disabled_workspace_is_forbidden(api, workspace):
    workspace.is_active = False
    workspace.save(update_fields=["is_active"])

    response = api.get("/api/v1/me")

    assert response.status_code == 403
    assert response.json()["error_code"] == "forbidden"
    assert "disabled" in response.json()["detail"]


def test_last_used_at_set_on_first_request(api, api_key):
    assert api_key.last_used_at is None

    api.get("/api/v1/me")

    api_key.refresh_from_db()
    assert api_key.last_used_at is not None


def test_last_used_at_not_rewritten_within_minute(api, api_key):
    api.get("/api/v1/me")
    api_key.refresh_from_db()
    first_use = api_key.last_used_at

    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/v1/me").status_code == 200

    updates = [query["sql"] for query in queries if query["sql"].lstrip().upper().startswith("UPDATE")]
    assert updates == []
    api_key.refresh_from_db()
    assert api_key.last_used_at == first_use


def test_last_used_at_rewritten_after_minute(api, api_key):
    stale = timezone.now() - timedelta(minutes=2)
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=stale)

    api.get("/api/v1/me")

    api_key.refresh_from_db()
    assert api_key.last_used_at > stale + timedelta(minutes=1)


def test_other_workspace_key_sees_own_workspace(other_api, other_workspace):
    response = other_api.get("/api/v1/me")

    assert response.json()["data"]["workspace_id"] == str(other_workspace.pk)
