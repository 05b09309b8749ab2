import pytest
from django.urls import reverse

from issues.models import Issue
from tests.issue_helpers import make_issue
from workspaces.models import User


@pytest.fixture
def admin_client(client, db):
    user = User.objects.create_superuser(username="root", email="root@example.com", password="pw")
    client.force_login(user)
    return client


def form_data(issue, **changes):
    data = {
        "title": issue.title,
        "description": issue.description or "",
        "status": issue.status,
        "priority": issue.priority,
        "assignee": str(issue.assignee_id or ""),
        "resolution_comment": issue.resolution_comment or "",
    }
    data.update(changes)
    return data


def test_admin_changelist_lists_issues(admin_client, product, agent):
    make_issue(product, "Visible", assignee=agent)

    response = admin_client.get(reverse("admin:issues_issue_changelist"), {"q": "get-001"})

    assert response.status_code == 200
    assert b"GET-001" in response.content
    assert b"Visible" in response.content


def test_admin_changelist_query_count(admin_client, product, agent, django_assert_max_num_queries):
    for index in range(20):
        make_issue(product, f"Issue {index}", assignee=agent)

    # Session, user, counts, the page and the filter choices; no query per row.
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:issues_issue_changelist"))

    assert response.status_code == 200


def test_admin_allowed_status_change(admin_client, product):
    issue = make_issue(product)

    response = admin_client.post(reverse("admin:issues_issue_change", args=[issue.pk]), form_data(issue, status="done"))

    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == "done"


@pytest.mark.parametrize(
    ("source", "target"), [("pending", "released"), ("dismissed", "pending"), ("released", "done")]
)
def test_admin_refused_status_change(admin_client, product, source, target):
    issue = make_issue(product)
    Issue.objects.filter(pk=issue.pk).update(status=source)
    issue.refresh_from_db()

    response = admin_client.post(reverse("admin:issues_issue_change", args=[issue.pk]), form_data(issue, status=target))

    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    issue.refresh_from_db()
    assert issue.status == source


def test_admin_create_allocates_shortcode(admin_client, product):
    make_issue(product)

    response = admin_client.post(
        reverse("admin:issues_issue_add"),
        {"product": str(product.pk), "title": "From admin", "status": "pending", "priority": "normal"},
    )

    assert response.status_code == 302
    created = Issue.objects.get(title="From admin")
    assert created.shortcode == "GET-002"
    assert created.workspace_id == product.workspace_id
    assert created.description is None


def test_admin_create_rejects_released(admin_client, product):
    response = admin_client.post(
        reverse("admin:issues_issue_add"),
        {"product": str(product.pk), "title": "T", "status": "released", "priority": "normal"},
    )

    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert not Issue.objects.exists()


def test_admin_rejects_assignee_of_other_workspace(admin_client, product, other_member):
    issue = make_issue(product)

    response = admin_client.post(
        reverse("admin:issues_issue_change", args=[issue.pk]), form_data(issue, assignee=str(other_member.pk))
    )

    assert response.status_code == 200
    assert "assignee" in response.context["adminform"].form.errors
    issue.refresh_from_db()
    assert issue.assignee_id is None
