"""Another workspace's objects are indistinguishable from objects that do not exist.

Every place an id can enter a request (path, body, query filter) is listed in
PROBES. Each probe is sent twice with our key: once with an id of the outsider's
workspace and once with an id that names nothing. Both responses must be the same
(status, error_code, detail, fields, with the id itself masked), and neither
request may change a row. To cover a new endpoint, add its probes.
"""

import uuid
from dataclasses import dataclass, field

import pytest

from conversations import services as conversation_services
from issues import services as issue_services
from issues.models import Issue, IssueStatus
from releases import services as release_services
from tests.db_state import snapshot

REF = "{ref}"


@dataclass
class Probe:
    """One request with an id slot REF, filled with a foreign or a missing id of kind KIND."""

    method: str
    path: str
    kind: str
    status: int
    body: dict | None = None
    query: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        if REF in self.path:
            where = "path"
        elif any(REF in str(value) for value in self.query.values()):
            where = "query"
        else:
            where = "body"
        return f"{self.method} {self.path} [{where}: {self.kind}]"


def _issue_body(**fields):
    return {"product_id": "{product}", "title": "Export fails on large files", **fields}


PROBES = [
    # Ids in the path: a 404, as for an id that never existed.
    Probe("GET", "/api/v1/products/{ref}", "product", 404),
    Probe("PATCH", "/api/v1/products/{ref}", "product", 404, body={"name": "Renamed"}),
    Probe("GET", "/api/v1/conversations/{ref}", "conversation", 404),
    Probe("PATCH", "/api/v1/conversations/{ref}", "conversation", 404, body={"status": "resolved"}),
    Probe("POST", "/api/v1/conversations/{ref}/messages", "conversation", 404, body={"body": "Hello"}),
    Probe("GET", "/api/v1/items/{ref}", "conversation", 404),
    Probe("PATCH", "/api/v1/items/{ref}", "conversation", 404, body={"priority": "high"}),
    Probe("POST", "/api/v1/items/{ref}/messages", "conversation", 404, body={"body": "Hello"}),
    Probe("GET", "/api/v1/issues/{ref}", "issue", 404),
    Probe("GET", "/api/v1/issues/{ref}", "issue_shortcode", 404),
    Probe("PATCH", "/api/v1/issues/{ref}", "issue", 404, body={"status": "dismissed"}),
    Probe("PATCH", "/api/v1/issues/{ref}", "issue_shortcode", 404, body={"title": "Renamed"}),
    Probe("GET", "/api/v1/actions/{ref}", "issue", 404),
    Probe("PATCH", "/api/v1/actions/{ref}", "issue_shortcode", 404, body={"priority": "urgent"}),
    Probe("GET", "/api/v1/releases/{ref}", "release", 404),
    # Ids in a body: a validation_error on that field.
    Probe("POST", "/api/v1/conversations", "product", 400, body={"product_id": REF, "message": "Hi"}),
    Probe("POST", "/api/v1/items", "product", 400, body={"product_id": REF, "message": "Hi"}),
    Probe("POST", "/api/v1/issues", "product", 400, body={"product_id": REF, "title": "Export fails"}),
    Probe("POST", "/api/v1/issues", "member", 400, body=_issue_body(assignee_id=REF)),
    Probe("POST", "/api/v1/issues", "conversation", 400, body=_issue_body(conversation_ids=[REF])),
    Probe("POST", "/api/v1/actions", "conversation", 400, body=_issue_body(conversation_ids=[REF])),
    Probe("PATCH", "/api/v1/issues/{issue}", "member", 400, body={"assignee_id": REF}),
    Probe("POST", "/api/v1/issues/maybe", "product", 400, body={"product_id": REF, "title": "Export fails"}),
    Probe("POST", "/api/v1/issues/maybe", "member", 400, body=_issue_body(assignee_id=REF)),
    Probe("POST", "/api/v1/issues/maybe", "conversation", 400, body=_issue_body(conversation_ids=[REF])),
    Probe("POST", "/api/v1/releases", "product", 400, body={"product_id": REF, "title": "Spring"}),
    Probe("POST", "/api/v1/releases", "issue", 400, body={"product_id": "{product}", "title": "R", "issue_ids": [REF]}),
    Probe(
        "POST",
        "/api/v1/releases",
        "issue_shortcode",
        400,
        body={"product_id": "{product}", "title": "Spring", "issue_ids": ["{done_issue}", REF]},
    ),
    # Ids in a query filter: a validation_error on that parameter.
    Probe("GET", "/api/v1/conversations", "product", 400, query={"product_id": REF}),
    Probe("GET", "/api/v1/items", "product", 400, query={"product_id": f"{{product}},{REF}"}),
    Probe("GET", "/api/v1/issues", "product", 400, query={"product_id": REF}),
    Probe("GET", "/api/v1/issues", "member", 400, query={"assignee_id": f"none,{REF}"}),
    Probe("GET", "/api/v1/actions", "member", 400, query={"assignee_id": REF}),
    Probe("GET", "/api/v1/releases", "product", 400, query={"product_id": REF}),
]

# List endpoints and the kind of object each returns.
LISTS = [
    ("/api/v1/members", "member"),
    ("/api/v1/products", "product"),
    ("/api/v1/conversations", "conversation"),
    ("/api/v1/items", "conversation"),
    ("/api/v1/issues", "issue"),
    ("/api/v1/actions", "issue"),
    ("/api/v1/releases", "release"),
]


@pytest.fixture
def world(workspace, owner, product, other_workspace, other_member, other_product):
    """Our objects (filled into {product}, {issue}, ...) and the outsider's (the foreign ids)."""
    conversation = conversation_services.conversation_create(workspace=workspace, product=product, message="Ours")
    issue = issue_services.issue_create(workspace=workspace, product=product, title="Ours")
    done_issue = issue_services.issue_create(
        workspace=workspace, product=product, title="Ours, done", status=IssueStatus.DONE
    )
    release_services.release_create(workspace=workspace, product=product, title="Our release")

    foreign_conversation = conversation_services.conversation_create(
        workspace=other_workspace, product=other_product, message="Theirs"
    )
    foreign_issue = issue_services.issue_create(
        workspace=other_workspace,
        product=other_product,
        title="Theirs",
        status=IssueStatus.DONE,
        assignee=other_member,
        conversations=[foreign_conversation],
    )
    foreign_release = release_services.release_create(
        workspace=other_workspace, product=other_product, title="Their release"
    )

    ours = {
        "product": str(product.pk),
        "issue": str(issue.pk),
        "done_issue": done_issue.shortcode,
        "conversation": str(conversation.pk),
    }
    foreign = {
        "product": str(other_product.pk),
        "conversation": str(foreign_conversation.pk),
        "issue": str(foreign_issue.pk),
        "issue_shortcode": foreign_issue.shortcode,
        "release": str(foreign_release.pk),
        "member": str(other_member.pk),
    }
    missing = {kind: str(uuid.uuid4()) for kind in foreign}
    # Same prefix, a number the outsider's product never reached.
    missing["issue_shortcode"] = f"{other_product.issue_prefix}-987"
    return ours, foreign, missing


def _fill(value, ours: dict, ref: str):
    if isinstance(value, str):
        value = value.replace(REF, ref)
        for name, our_id in ours.items():
            value = value.replace("{" + name + "}", our_id)
        return value
    if isinstance(value, list):
        return [_fill(item, ours, ref) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, ours, ref) for key, item in value.items()}
    return value


def _send(api, probe: Probe, ours: dict, ref: str):
    path = _fill(probe.path, ours, ref)
    query = _fill(probe.query, ours, ref)
    if probe.method == "GET":
        return api.get(path, query)
    body = _fill(probe.body, ours, ref)
    return getattr(api, probe.method.lower())(path, body, format="json")


def _masked(response, ref: str) -> dict:
    text = response.content.decode().replace(ref, "<ref>").replace(ref.lower(), "<ref>").replace(ref.upper(), "<ref>")
    return {"status": response.status_code, "body": text}


@pytest.mark.parametrize("probe", PROBES, ids=lambda probe: probe.label)
def test_foreign_id_answers_like_missing_id(probe, api, world):
    ours, foreign, missing = world
    before = snapshot()

    foreign_response = _send(api, probe, ours, foreign[probe.kind])
    after_foreign = snapshot()
    missing_response = _send(api, probe, ours, missing[probe.kind])

    assert foreign_response.status_code == probe.status, foreign_response.content
    expected_code = "not_found" if probe.status == 404 else "validation_error"
    assert foreign_response.json()["error_code"] == expected_code
    assert _masked(foreign_response, foreign[probe.kind]) == _masked(missing_response, missing[probe.kind])
    assert after_foreign == before
    assert snapshot() == before


@pytest.mark.parametrize("probe", [p for p in PROBES if p.status == 400], ids=lambda probe: probe.label)
def test_foreign_id_error_names_field(probe, api, world):
    ours, foreign, _ = world

    body = _send(api, probe, ours, foreign[probe.kind]).json()

    slot = next(
        name for name, value in {**(probe.body or {}), **probe.query}.items() if REF in str(value) or REF in repr(value)
    )
    assert set(body["fields"]) == {slot}


@pytest.mark.parametrize(("path", "kind"), LISTS)
def test_list_never_returns_foreign_objects(path, kind, api, world):
    _, foreign, _ = world
    foreign_id = foreign[kind]

    response = api.get(path, {"limit": 200})

    assert response.status_code == 200
    ids = {item["id"] for item in response.json()["data"]}
    assert ids
    assert foreign_id not in ids
    assert foreign_id not in response.content.decode()


def test_foreign_issue_stays_unlinked(api, world):
    """A release or issue naming a foreign object leaves that object's links untouched."""
    ours, foreign, _ = world
    foreign_issue = Issue.objects.get(pk=foreign["issue"])
    conversations_before = set(foreign_issue.conversations.values_list("pk", flat=True))

    api.post(
        "/api/v1/releases",
        {"product_id": ours["product"], "title": "Spring", "issue_ids": [foreign["issue"]]},
        format="json",
    )
    api.post(
        "/api/v1/issues",
        {"product_id": ours["product"], "title": "Grab", "conversation_ids": [foreign["conversation"]]},
        format="json",
    )

    foreign_issue.refresh_from_db()
    assert foreign_issue.status == IssueStatus.DONE
    assert set(foreign_issue.conversations.values_list("pk", flat=True)) == conversations_before
    assert not foreign_issue.releases.exists()
