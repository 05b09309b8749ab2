from rest_framework.test import APIClient

from workspaces import services


def test_me_returns_workspace_and_member(api, workspace, api_key, owner):
    response = api.get("/api/v1/me")

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["workspace_id"] == str(workspace.pk)
    assert data["api_key_id"] == str(api_key.pk)
    assert data["member"]["id"] == str(owner.pk)
    assert data["member"]["role"] == "owner"
    assert data["member"]["display_name"] == "Olivia Owner"
    assert data["member"]["user_id"] is None


def test_me_without_member_is_null(memberless_api):
    response = memberless_api.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["data"]["member"] is None


def test_me_without_key_is_unauthorized(anonymous_api):
    response = anonymous_api.get("/api/v1/me")

    assert response.status_code == 401
    assert response.json()["error_code"] == "unauthorized"
    assert response["WWW-Authenticate"] == "Bearer"


def test_me_member_is_key_creator_not_first_member(workspace, owner, agent):
    _, secret = services.api_key_issue(workspace=workspace, created_by=agent)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")

    member = client.get("/api/v1/me").json()["data"]["member"]

    assert member["id"] == str(agent.pk)
    assert member["role"] == "agent"


def test_me_member_fields(api, owner):
    member = api.get("/api/v1/me").json()["data"]["member"]

    assert set(member) == {"id", "user_id", "role", "display_name", "avatar_url", "created_at"}


def test_me_after_member_deleted_is_null(api, owner):
    owner.delete()

    assert api.get("/api/v1/me").json()["data"]["member"] is None


def test_me_with_read_only_key(read_only_api):
    assert read_only_api.get("/api/v1/me").status_code == 200


def test_me_other_workspace_key(other_api, other_workspace, other_member):
    data = other_api.get("/api/v1/me").json()["data"]

    assert data["workspace_id"] == str(other_workspace.pk)
    assert data["member"]["id"] == str(other_member.pk)


def test_me_second_request_is_one_query(api, owner, django_assert_num_queries):
    api.get("/api/v1/me")

    # One SELECT joins the key, its workspace and its member. No UPDATE follows
    # because last_used_at was written by the first request.
    with django_assert_num_queries(1):
        assert api.get("/api/v1/me").status_code == 200
