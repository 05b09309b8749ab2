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
