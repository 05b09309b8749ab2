"""GET /members: the workspace's members, oldest first."""

from workspaces import services
from workspaces.models import Member


def test_members_list_fields_and_order(api, owner, agent):
    body = api.get("/api/v1/members").json()

    assert [item["id"] for item in body["data"]] == [str(owner.pk), str(agent.pk)]
    assert set(body["data"][0]) == {"id", "user_id", "role", "display_name", "avatar_url", "created_at"}
    assert body["data"][0]["role"] == "owner"
    assert body["data"][1]["role"] == "agent"
    assert body["pagination"] == {"total": 2, "limit": 50, "offset": 0}


def test_members_list_hides_other_workspace(api, owner, other_member):
    ids = [item["id"] for item in api.get("/api/v1/members").json()["data"]]

    assert str(other_member.pk) not in ids


def test_member_with_login_has_user_id(api, workspace, owner):
    member = services.member_create(
        workspace=workspace,
        role=Member.Role.ADMIN,
        email="Ada@Example.com",
        avatar_url="https://example.com/ada.png",
    )

    data = api.get("/api/v1/members").json()["data"][-1]

    assert data["id"] == str(member.pk)
    assert data["user_id"] == str(member.user_id)
    assert data["role"] == "admin"
    assert data["display_name"] is None
    assert data["avatar_url"] == "https://example.com/ada.png"


def test_members_list_query_count_is_constant(api, workspace, owner, django_assert_max_num_queries):
    for number in range(5):
        services.member_create(workspace=workspace, role=Member.Role.AGENT, email=f"agent{number}@example.com")

    with django_assert_max_num_queries(4):
        assert len(api.get("/api/v1/members").json()["data"]) == 6


def test_members_list_needs_key(anonymous_api, owner):
    assert anonymous_api.get("/api/v1/members").status_code == 401


def test_members_detail_path_is_404(api, owner):
    assert api.get(f"/api/v1/members/{owner.pk}").status_code == 404
