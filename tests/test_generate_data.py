from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Max
from rest_framework.test import APIClient

from conversations.models import Conversation
from issues.models import Issue, IssueStatus, format_shortcode
from releases.models import Release
from workspaces.models import Product, Workspace


@pytest.fixture
def generated(db):
    out = StringIO()
    call_command(
        "generate_data",
        "--workspace=tiny",
        "--issues=200",
        "--products=3",
        "--members=4",
        "--conversations=120",
        "--messages-per-conversation=2",
        stdout=out,
    )
    return Workspace.objects.get(slug="tiny"), out.getvalue().strip().splitlines()[-1]


def test_generated_key_authenticates(generated):
    workspace, secret = generated
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")

    response = client.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["data"]["workspace_id"] == str(workspace.pk)


def test_generated_numbers_match_counters(generated):
    workspace, _ = generated
    products = Product.objects.filter(workspace=workspace).annotate(n=Count("issues"), top=Max("issues__number"))

    assert products.count() == 3
    assert sum(p.n for p in products) == 200
    for product in products:
        numbers = sorted(Issue.objects.filter(product=product).values_list("number", flat=True))
        assert numbers == list(range(1, product.n + 1))
        assert product.issue_counter == product.n == product.top


def test_generated_shortcodes_follow_prefix(generated):
    workspace, _ = generated
    for issue in Issue.objects.filter(workspace=workspace).select_related("product"):
        assert issue.shortcode == format_shortcode(issue.product.issue_prefix, issue.number)


def test_generated_issues_cover_every_status(generated):
    workspace, _ = generated
    statuses = set(Issue.objects.filter(workspace=workspace).values_list("status", flat=True))

    assert statuses == set(IssueStatus.values)


def test_generated_history_is_chronological(generated):
    workspace, _ = generated
    product = Product.objects.filter(workspace=workspace).first()
    numbers = list(Issue.objects.filter(product=product).values_list("number", flat=True))

    # The default order is newest first, so numbers come out descending.
    assert numbers == sorted(numbers, reverse=True)


def test_generated_releases_hold_released_issues(generated):
    workspace, _ = generated
    released = Issue.objects.filter(workspace=workspace, status=IssueStatus.RELEASED)

    assert Release.objects.filter(workspace=workspace).exists()
    assert Issue.objects.filter(workspace=workspace, releases__isnull=False).distinct().count() == released.count()
    for release in Release.objects.filter(workspace=workspace):
        assert set(release.issues.values_list("product_id", flat=True)) == {release.product_id}
        assert set(release.issues.values_list("status", flat=True)) == {IssueStatus.RELEASED}


def test_generated_links_stay_within_product(generated):
    workspace, _ = generated
    links = Issue.conversations.through.objects.filter(issue__workspace=workspace).select_related(
        "issue", "conversation"
    )

    assert links.exists()
    for link in links:
        assert link.issue.product_id == link.conversation.product_id


def test_generated_long_thread_has_fifty_messages(generated):
    workspace, _ = generated
    counts = Conversation.objects.filter(workspace=workspace).annotate(n=Count("messages"))

    assert counts.count() == 120
    assert max(c.n for c in counts) == 50
    for conversation in counts.filter(n__gt=0):
        latest = conversation.messages.order_by("-created_at").first()
        assert conversation.last_message_at == latest.created_at


def test_generate_restores_auto_timestamps(generated):
    assert Issue._meta.get_field("created_at").auto_now_add is True
    assert Issue._meta.get_field("updated_at").auto_now is True


def test_generate_rejects_existing_workspace(generated):
    with pytest.raises(CommandError, match="already exists"):
        call_command("generate_data", "--workspace=tiny", "--issues=1", stdout=StringIO())


def test_generate_rejects_zero_products(db):
    with pytest.raises(CommandError, match="--products must be at least 1"):
        call_command("generate_data", "--workspace=none", "--products=0", stdout=StringIO())
