import pytest
from django.urls import reverse

from issues.dedup import services

CHANGELIST = reverse("admin:issues_issueapisource_changelist")


@pytest.fixture
def source(workspace, product, api_key, settings):
    settings.ANTHROPIC_API_KEY = None
    body = {"product_id": str(product.pk), "title": "Export button is grey"}
    _, source = services.issue_create_or_match(
        workspace=workspace, api_key=api_key, request_body=body, product=product, title="Export button is grey"
    )
    return source


def test_changelist_filters_by_outcome_and_matcher(admin_client, source):
    response = admin_client.get(CHANGELIST, {"outcome": "created", "matcher": "local"})
    assert response.status_code == 200
    assert source.issue.shortcode in response.content.decode()

    response = admin_client.get(CHANGELIST, {"outcome": "matched"})
    assert source.issue.shortcode not in response.content.decode()


def test_detail_is_read_only(admin_client, source):
    url = reverse("admin:issues_issueapisource_change", args=[source.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert reverse("admin:issues_issue_change", args=[source.issue_id]) in response.content.decode()
    assert admin_client.post(url, {"matcher": "forged"}).status_code == 403
    source.refresh_from_db()
    assert source.matcher == "local"


def test_add_and_delete_are_forbidden(admin_client, source):
    assert admin_client.get(reverse("admin:issues_issueapisource_add")).status_code == 403
    delete_url = reverse("admin:issues_issueapisource_delete", args=[source.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert type(source).objects.filter(pk=source.pk).exists()
