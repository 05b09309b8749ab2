import pytest

from releases.models import Release
from releases.services import release_create
from tests.release_helpers import make_issue, statuses

ADD_URL = "/admin/releases/release/add/"
LIST_URL = "/admin/releases/release/"


def add_release(client, product, **fields):
    data = {"product": str(product.pk), "title": "Admin release", "description": "", "version": "", "issue_refs": ""}
    data.update(fields)
    return client.post(ADD_URL, data)


def test_admin_add_page_renders(admin_client, product):
    response = admin_client.get(ADD_URL)

    assert response.status_code == 200
    assert b"issue_refs" in response.content


def test_admin_creates_release_through_service(admin_client, product):
    first = make_issue(product)
    second = make_issue(product)

    response = add_release(
        admin_client, product, version="1.0", issue_refs=f"{first.shortcode.lower()}, {second.pk}\n{first.pk}"
    )

    assert response.status_code == 302
    release = Release.objects.get()
    assert release.workspace_id == product.workspace_id
    assert release.version == "1.0"
    assert set(release.issues.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert statuses(first, second) == ["released", "released"]


def test_admin_shows_issue_errors_and_writes_nothing(admin_client, product, other_product):
    good = make_issue(product)
    pending = make_issue(product, status="pending")
    foreign = make_issue(other_product)

    response = add_release(
        admin_client, product, issue_refs=f"{good.shortcode} {pending.shortcode} {foreign.shortcode}"
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert f"{pending.shortcode}: the issue is pending, and only done issues can be released." in errors["issue_refs"]
    assert f"{foreign.shortcode}: no issue with this id or shortcode in the workspace." in errors["issue_refs"]
    assert Release.objects.count() == 0
    assert statuses(good, pending, foreign) == ["done", "pending", "done"]


def test_admin_shows_repeated_version_error(admin_client, product):
    release_create(workspace=product.workspace, product=product, title="R1", version="1.0")

    response = add_release(admin_client, product, version="1.0")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["version"] == [
        "This product already has a release with this version."
    ]
    assert Release.objects.count() == 1


def test_admin_rejects_blank_title(admin_client, product):
    response = add_release(admin_client, product, title="   ")

    assert response.status_code == 200
    assert "title" in response.context["adminform"].form.errors
    assert Release.objects.count() == 0


def test_admin_change_page_lists_issues(admin_client, product):
    issue = make_issue(product, title="Broken login button")
    release = release_create(workspace=product.workspace, product=product, title="R1", issues_refs=[issue.shortcode])

    response = admin_client.get(f"{LIST_URL}{release.pk}/change/")

    assert response.status_code == 200
    assert issue.shortcode.encode() in response.content
    assert b"Broken login button" in response.content


def test_admin_release_is_read_only(admin_client, product):
    release = release_create(workspace=product.workspace, product=product, title="R1")

    response = admin_client.post(
        f"{LIST_URL}{release.pk}/change/", {"product": str(product.pk), "title": "Renamed", "version": ""}
    )

    assert response.status_code == 403
    release.refresh_from_db()
    assert release.title == "R1"


def test_admin_list_searches_and_filters(admin_client, product, other_product):
    release_create(workspace=product.workspace, product=product, title="Spring", version="2.0")
    release_create(workspace=other_product.workspace, product=other_product, title="Autumn", version="9.9")

    by_version = admin_client.get(LIST_URL, {"q": "2.0"})
    by_product = admin_client.get(LIST_URL, {"product__id__exact": str(other_product.pk)})

    assert by_version.status_code == 200
    assert [release.title for release in by_version.context["cl"].result_list] == ["Spring"]
    assert [release.title for release in by_product.context["cl"].result_list] == ["Autumn"]


@pytest.mark.parametrize("release_count", [1, 5])
def test_admin_list_query_count(admin_client, product, django_assert_max_num_queries, release_count):
    for number in range(release_count):
        release_create(
            workspace=product.workspace,
            product=product,
            title=f"R{number}",
            issues_refs=[make_issue(product).shortcode],
        )
    admin_client.get(LIST_URL)

    # Session, user, count, page with issue counts, and the filter choices.
    with django_assert_max_num_queries(7):
        response = admin_client.get(LIST_URL)

    assert response.status_code == 200


@pytest.mark.parametrize("issue_count", [1, 5])
def test_admin_change_page_query_count(admin_client, product, django_assert_max_num_queries, issue_count):
    issues = [make_issue(product) for _ in range(issue_count)]
    release = release_create(
        workspace=product.workspace, product=product, title="R1", issues_refs=[issue.shortcode for issue in issues]
    )

    # The inline reads all issues of the release in one query.
    with django_assert_max_num_queries(7):
        response = admin_client.get(f"{LIST_URL}{release.pk}/change/")

    assert response.status_code == 200
