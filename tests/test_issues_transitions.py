import pytest

from issues.models import ALLOWED_TRANSITIONS, IssueStatus
from tests.issue_helpers import make_issue

STATUSES = list(IssueStatus.values)

# The table as the API documents it, written out rather than derived from the
# model, so a change to ALLOWED_TRANSITIONS fails here.
EXPECTED = {
    "pending": {"in_progress", "done", "icebox", "dismissed"},
    "in_progress": {"pending", "done", "icebox", "dismissed"},
    "done": {"in_progress", "pending", "icebox", "dismissed"},
    "icebox": {"pending", "in_progress", "done", "dismissed"},
    "released": set(),
    "dismissed": set(),
}

ALLOWED = [(source, target) for source in STATUSES for target in sorted(EXPECTED[source])]
REFUSED = [
    (source, target)
    for source in STATUSES
    for target in STATUSES
    if target != source and target not in EXPECTED[source]
]


def issue_in(product, status):
    issue = make_issue(product)
    # Set directly: released cannot be reached through the API, and the
    # starting point is what is under test, not the path to it.
    type(issue).objects.filter(pk=issue.pk).update(status=status)
    issue.refresh_from_db()
    return issue


def test_model_table_matches_documented_table():
    assert {key: set(value) for key, value in ALLOWED_TRANSITIONS.items()} == EXPECTED


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_allowed_transition(api, product, source, target):
    issue = issue_in(product, source)

    response = api.patch(f"/api/v1/issues/{issue.pk}", {"status": target}, format="json")

    assert response.status_code == 200
    assert response.json()["data"]["status"] == target
    issue.refresh_from_db()
    assert issue.status == target


@pytest.mark.parametrize(("source", "target"), REFUSED)
def test_refused_transition(api, product, source, target):
    issue = issue_in(product, source)

    response = api.patch(f"/api/v1/issues/{issue.pk}", {"status": target}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["error_code"] == "validation_error"
    message = body["fields"]["status"]
    for allowed in EXPECTED[source]:
        assert allowed in message
    issue.refresh_from_db()
    assert issue.status == source


@pytest.mark.parametrize("status", STATUSES)
def test_same_status_is_noop(api, product, status):
    issue = issue_in(product, status)
    updated_at = issue.updated_at

    response = api.patch(f"/api/v1/issues/{issue.pk}", {"status": status}, format="json")

    assert response.status_code == 200
    assert response.json()["data"]["status"] == status
    issue.refresh_from_db()
    assert issue.updated_at == updated_at


@pytest.mark.parametrize("status", ["released", "dismissed"])
def test_terminal_issue_still_takes_other_fields(api, product, status):
    issue = issue_in(product, status)

    response = api.patch(f"/api/v1/issues/{issue.pk}", {"resolution_comment": "shipped"}, format="json")

    assert response.status_code == 200
    assert response.json()["data"]["resolution_comment"] == "shipped"
