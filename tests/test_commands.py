"""Management commands: output for scripts, and CommandError on bad input."""

import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from rest_framework.test import APIClient

from workspaces import services
from workspaces.models import ApiKey, Member, Product, Workspace


def run(*args) -> list[str]:
    stdout = StringIO()
    call_command(*args, stdout=stdout, stderr=StringIO())
    return stdout.getvalue().splitlines()


def me(secret: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client.get("/api/v1/me")


@pytest.mark.parametrize(
    "command",
    ["create_workspace", "add_member", "issue_api_key", "revoke_api_key", "list_api_keys", "seed_demo"],
)
def test_command_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command(command, "--help")

    assert exit_info.value.code == 0
    assert "usage:" in capsys.readouterr().out


# -- create_workspace ------------------------------------------------------------


def test_create_workspace_prints_id(db):
    lines = run("create_workspace", "Big Corp")

    assert len(lines) == 1
    workspace = Workspace.objects.get(pk=lines[0])
    assert workspace.name == "Big Corp"
    assert workspace.slug == "big-corp"


def test_create_workspace_suffixes_derived_slug(db):
    run("create_workspace", "Big Corp")

    workspace = Workspace.objects.get(pk=run("create_workspace", "Big Corp")[0])

    assert workspace.slug == "big-corp-2"


def test_create_workspace_explicit_slug(db):
    workspace = Workspace.objects.get(pk=run("create_workspace", "Big Corp", "--slug", "bc")[0])

    assert workspace.slug == "bc"


def test_create_workspace_taken_slug_fails(workspace):
    with pytest.raises(CommandError, match="acme"):
        run("create_workspace", "Another", "--slug", "acme")


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_create_workspace_bad_name_fails(db, name):
    with pytest.raises(CommandError, match="name"):
        run("create_workspace", name)

    assert Workspace.objects.count() == 0


def test_create_workspace_bad_slug_fails(db):
    with pytest.raises(CommandError, match="slug"):
        run("create_workspace", "Big Corp", "--slug", "Bad Slug")


def test_create_workspace_missing_name_fails(db):
    with pytest.raises(CommandError):
        run("create_workspace")


# -- add_member --------------------------------------------------------------------


def test_add_member_by_slug_prints_id(workspace):
    lines = run("add_member", "acme", "--role", "admin", "--display-name", "Ann Admin")

    assert len(lines) == 1
    member = Member.objects.get(pk=lines[0])
    assert member.workspace == workspace
    assert member.role == "admin"
    assert member.display_name == "Ann Admin"
    assert member.user is None


def test_add_member_by_id_with_email(workspace):
    member = Member.objects.get(pk=run("add_member", str(workspace.pk), "--role", "agent", "--email", "A@B.io")[0])

    assert member.user.email == "a@b.io"
    assert not member.user.has_usable_password()


def test_add_member_same_email_twice_fails(workspace):
    run("add_member", "acme", "--role", "agent", "--email", "a@b.io")

    with pytest.raises(CommandError, match="already a member"):
        run("add_member", "acme", "--role", "agent", "--email", "a@b.io")


def test_add_member_reuses_user_across_workspaces(workspace, other_workspace):
    first = Member.objects.get(pk=run("add_member", "acme", "--role", "agent", "--email", "a@b.io")[0])
    second = Member.objects.get(pk=run("add_member", "outsider", "--role", "owner", "--email", "a@b.io")[0])

    assert first.user_id == second.user_id


def test_add_member_bad_role_fails(workspace):
    with pytest.raises(CommandError, match="role"):
        run("add_member", "acme", "--role", "boss")


def test_add_member_bad_email_fails(workspace):
    with pytest.raises(CommandError, match="email"):
        run("add_member", "acme", "--role", "agent", "--email", "not-an-email")

    assert Member.objects.count() == 0


def test_add_member_unknown_workspace_fails(db):
    with pytest.raises(CommandError, match="nowhere"):
        run("add_member", "nowhere", "--role", "agent")


def test_add_member_missing_role_fails(workspace):
    with pytest.raises(CommandError):
        run("add_member", "acme")


# -- issue_api_key -----------------------------------------------------------------


def test_issue_api_key_secret_on_last_line(workspace, owner):
    lines = run("issue_api_key", "acme", "--member", str(owner.pk), "--name", "ci")

    secret = lines[-1]
    assert secret.startswith("gr_")
    assert " " not in secret
    response = me(secret)
    assert response.status_code == 200
    assert response.json()["data"]["member"]["id"] == str(owner.pk)
    key = ApiKey.objects.get(pk=response.json()["data"]["api_key_id"])
    assert key.name == "ci"
    assert key.read_only is False
    assert key.expires_at is None


def test_issue_api_key_without_member(workspace):
    secret = run("issue_api_key", str(workspace.pk))[-1]

    assert me(secret).json()["data"]["member"] is None


def test_issue_api_key_read_only_with_expiry(workspace):
    secret = run("issue_api_key", "acme", "--read-only", "--expires-in-days", "7")[-1]

    key = ApiKey.objects.get(pk=me(secret).json()["data"]["api_key_id"])
    assert key.read_only is True
    expected = timezone.now() + timedelta(days=7)
    assert abs((key.expires_at - expected).total_seconds()) < 60


def test_issue_api_key_stores_no_secret(workspace):
    secret = run("issue_api_key", "acme")[-1]

    key = ApiKey.objects.get()
    assert secret not in (key.prefix, key.key_hash, key.name)


def test_issue_api_key_unknown_workspace_fails(db):
    with pytest.raises(CommandError, match="nowhere"):
        run("issue_api_key", "nowhere")


@pytest.mark.parametrize("member", [str(uuid.uuid4()), "not-a-uuid"])
def test_issue_api_key_unknown_member_fails(workspace, member):
    with pytest.raises(CommandError, match="member"):
        run("issue_api_key", "acme", "--member", member)

    assert ApiKey.objects.count() == 0


def test_issue_api_key_foreign_member_fails(workspace, other_member):
    with pytest.raises(CommandError, match="member"):
        run("issue_api_key", "acme", "--member", str(other_member.pk))

    assert ApiKey.objects.count() == 0


@pytest.mark.parametrize("days", ["0", "-3", "abc"])
def test_issue_api_key_bad_expiry_fails(workspace, days):
    with pytest.raises(CommandError, match="expires"):
        run("issue_api_key", "acme", "--expires-in-days", days)

    assert ApiKey.objects.count() == 0


# -- revoke_api_key ----------------------------------------------------------------


def test_revoke_by_id(key_and_secret):
    key, secret = key_and_secret

    lines = run("revoke_api_key", str(key.pk))

    assert "revoked" in lines[-1]
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert me(secret).status_code == 401


def test_revoke_by_prefix(key_and_secret):
    key, secret = key_and_secret

    run("revoke_api_key", key.prefix)

    assert me(secret).status_code == 401


def test_revoke_twice_keeps_first_time(key_and_secret):
    key, _ = key_and_secret
    run("revoke_api_key", str(key.pk))
    key.refresh_from_db()
    first = key.revoked_at

    lines = run("revoke_api_key", str(key.pk))

    key.refresh_from_db()
    assert key.revoked_at == first
    assert "already" in lines[-1]


@pytest.mark.parametrize("reference", [str(uuid.uuid4()), "gr_unknown1", "garbage"])
def test_revoke_unknown_fails(workspace, reference):
    with pytest.raises(CommandError, match="No API key"):
        run("revoke_api_key", reference)


def test_revoke_ambiguous_prefix_fails(workspace, other_workspace):
    first, _ = services.api_key_issue(workspace=workspace)
    second, _ = services.api_key_issue(workspace=other_workspace)
    ApiKey.objects.filter(pk=second.pk).update(prefix=first.prefix)

    with pytest.raises(CommandError, match="2 keys"):
        run("revoke_api_key", first.prefix)

    assert ApiKey.objects.filter(revoked_at__isnull=False).count() == 0


# -- list_api_keys -----------------------------------------------------------------


def test_list_api_keys_states_without_secrets(workspace, owner, other_workspace):
    active, active_secret = services.api_key_issue(workspace=workspace, created_by=owner, name="active")
    revoked, revoked_secret = services.api_key_issue(workspace=workspace, name="revoked", read_only=True)
    services.api_key_revoke(key=revoked)
    expired, expired_secret = services.api_key_issue(workspace=workspace, name="expired", expires_in_days=1)
    ApiKey.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    _, foreign_secret = services.api_key_issue(workspace=other_workspace, name="foreign")

    lines = run("list_api_keys", "acme")

    output = "\n".join(lines)
    for secret in (active_secret, revoked_secret, expired_secret, foreign_secret):
        assert secret not in output
    header, *rows = [line.split("\t") for line in lines]
    assert header[:4] == ["id", "prefix", "name", "state"]
    by_name = {row[2]: row for row in rows}
    assert set(by_name) == {"active", "revoked", "expired"}
    assert by_name["active"][3] == "active"
    assert by_name["active"][5] == str(owner.pk)
    assert by_name["revoked"][3] == "revoked"
    assert by_name["revoked"][4] == "read-only"
    assert by_name["expired"][3] == "expired"
    assert all(len(row) == len(header) for row in rows)


def test_list_api_keys_by_id(workspace, api_key):
    lines = run("list_api_keys", str(workspace.pk))

    assert lines[1].split("\t")[0] == str(api_key.pk)


def test_list_api_keys_unknown_workspace_fails(db):
    with pytest.raises(CommandError, match="nowhere"):
        run("list_api_keys", "nowhere")


# -- seed_demo ---------------------------------------------------------------------


def test_seed_demo_creates_usable_workspace(db):
    secret = run("seed_demo")[-1]

    response = me(secret)
    assert response.status_code == 200
    workspace = Workspace.objects.get(slug="demo")
    assert response.json()["data"]["workspace_id"] == str(workspace.pk)
    assert response.json()["data"]["member"]["role"] == "owner"
    assert Product.objects.filter(workspace=workspace).count() == 1
    assert Member.objects.filter(workspace=workspace).count() == 2


def test_seed_demo_twice_reuses_data(db):
    first = run("seed_demo")[-1]
    counts = (Workspace.objects.count(), Member.objects.count(), Product.objects.count())

    second = run("seed_demo")[-1]

    assert first != second
    assert (Workspace.objects.count(), Member.objects.count(), Product.objects.count()) == counts
    assert me(first).status_code == 200
    assert me(second).status_code == 200


def test_list_api_keys_name_with_tab_keeps_columns(workspace):
    services.api_key_issue(workspace=workspace, name="ci\tdeploy\nbot")

    header, row = [line.split("\t") for line in run("list_api_keys", "acme")]

    assert len(row) == len(header)
    assert row[2] == "ci deploy bot"


def test_create_workspace_unusable_name_gets_workspace_slug(db):
    out = StringIO()

    call_command("create_workspace", "日本語", stdout=out)

    workspace = Workspace.objects.get(pk=out.getvalue().strip())
    assert workspace.slug == "workspace"


def test_add_member_overlong_email_fails(workspace):
    email = "d" * 64 + "@" + "b" * 63 + "." + "c" * 40 + ".com"

    with pytest.raises(CommandError, match="at most 150 characters"):
        call_command("add_member", workspace.slug, "--role", "agent", "--email", email, stdout=StringIO())

    assert not Member.objects.filter(workspace=workspace).exists()


def test_issue_api_key_overlong_expiry_fails(workspace):
    with pytest.raises(CommandError, match="between 1 and 36500 days"):
        call_command("issue_api_key", workspace.slug, "--expires-in-days", "3650000", stdout=StringIO())

    assert not ApiKey.objects.filter(workspace=workspace).exists()
