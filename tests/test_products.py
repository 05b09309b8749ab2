"""Products: listing, creation rules, updates and workspace isolation."""

import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from issues.services import issue_create
from workspaces import services
from workspaces.models import Product


def create(api, **payload):
    return api.post("/api/v1/products", payload, format="json")


def patch(api, product, **payload):
    return api.patch(f"/api/v1/products/{product.pk}", payload, format="json")


def assert_field_error(response, field: str) -> str:
    assert response.status_code == 400
    body = response.json()
    assert body["error_code"] == "validation_error"
    assert field in body["fields"]
    return body["fields"][field]


# -- Reading -------------------------------------------------------------------


def test_list_shows_only_own_products(api, product, other_product):
    body = api.get("/api/v1/products").json()

    assert [item["id"] for item in body["data"]] == [str(product.pk)]
    assert body["pagination"]["total"] == 1


def test_list_oldest_first(api, workspace, product):
    second = services.product_create(workspace=workspace, name="Second")

    ids = [item["id"] for item in api.get("/api/v1/products").json()["data"]]

    assert ids == [str(product.pk), str(second.pk)]


def test_list_query_count_is_constant(api, workspace, product, django_assert_max_num_queries):
    for number in range(5):
        services.product_create(workspace=workspace, name=f"Extra {number}")

    # Key lookup, last_used_at write, count, page.
    with django_assert_max_num_queries(4):
        assert api.get("/api/v1/products").status_code == 200


def test_retrieve_returns_all_fields(api, product, workspace):
    response = api.get(f"/api/v1/products/{product.pk}")

    assert response.status_code == 200
    data = response.json()["data"]
    assert set(data) == {
        "id",
        "workspace_id",
        "name",
        "slug",
        "issue_prefix",
        "widget_key",
        "widget_config",
        "domain",
        "created_at",
        "updated_at",
    }
    assert data["workspace_id"] == str(workspace.pk)
    assert data["slug"] == "getresolved"
    assert data["issue_prefix"] == "GET"
    assert data["widget_key"].startswith("wk_")
    assert data["created_at"].endswith("Z")


def test_other_workspace_product_get_is_404(api, other_product):
    response = api.get(f"/api/v1/products/{other_product.pk}")

    assert response.status_code == 404
    assert response.json()["error_code"] == "not_found"


def test_other_workspace_product_patch_is_404(api, other_product):
    response = patch(api, other_product, name="Hijacked")

    assert response.status_code == 404
    other_product.refresh_from_db()
    assert other_product.name == "Outsider Product"


def test_unknown_product_is_404(api, product):
    assert api.get(f"/api/v1/products/{uuid.uuid4()}").status_code == 404


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "123", "00000000-0000-0000-0000-00000000000g"])
def test_malformed_id_is_404(api, product, bad_id):
    for response in (api.get(f"/api/v1/products/{bad_id}"), api.patch(f"/api/v1/products/{bad_id}", {}, format="json")):
        assert response.status_code == 404
        assert response.json()["error_code"] == "not_found"


# -- Creating ------------------------------------------------------------------


def test_create_returns_201_envelope(api, workspace):
    response = create(api, name="  Acme Widget  ", domain="Help.Example.com", widget_config={"color": "blue"})

    assert response.status_code == 201
    data = response.json()["data"]
    assert data["name"] == "Acme Widget"
    assert data["slug"] == "acme-widget"
    assert data["issue_prefix"] == "ACM"
    assert data["domain"] == "help.example.com"
    assert data["widget_config"] == {"color": "blue"}
    assert Product.objects.get(pk=data["id"]).workspace == workspace


def test_create_derives_get_prefix(api):
    assert create(api, name="GetResolved").json()["data"]["issue_prefix"] == "GET"


def test_create_suffixes_taken_slug(api, product):
    second = create(api, name="GetResolved").json()["data"]
    third = create(api, name="GetResolved").json()["data"]

    assert second["slug"] == "getresolved-2"
    assert third["slug"] == "getresolved-3"


def test_create_suffixes_taken_explicit_slug(api, product):
    response = create(api, name="Other", slug="getresolved")

    assert response.json()["data"]["slug"] == "getresolved-2"


def test_create_varies_taken_derived_prefix(api, product):
    second = create(api, name="GetResolved").json()["data"]
    third = create(api, name="Getaway").json()["data"]

    assert second["issue_prefix"] != "GET"
    assert len(second["issue_prefix"]) == 3
    assert second["issue_prefix"].startswith("GE")
    assert third["issue_prefix"] not in ("GET", second["issue_prefix"])


def test_prefix_derivation_ignores_punctuation(api):
    assert create(api, name="a.b-c d").json()["data"]["issue_prefix"] == "ABC"


@pytest.mark.parametrize("name", ["!!!", "日本語", "--"])
def test_name_without_usable_characters(api, name):
    data = create(api, name=name).json()["data"]

    assert data["slug"] == "product"
    assert data["name"] == name
    assert len(data["issue_prefix"]) >= 1


def test_name_without_usable_characters_twice(api):
    create(api, name="???")

    assert create(api, name="???").json()["data"]["slug"] == "product-2"


def test_long_name_slug_truncated_to_50(api):
    name = "Very long product name " * 8

    first = create(api, name=name).json()["data"]
    second = create(api, name=name).json()["data"]

    assert len(first["slug"]) == 50
    assert len(second["slug"]) <= 50
    assert second["slug"].endswith("-2")
    assert second["slug"][:-2] == first["slug"][: len(second["slug"]) - 2].rstrip("-")


def test_long_slug_suffix_never_leaves_double_hyphen(workspace):
    # The 48th character of this slug is a hyphen, so a naive cut gives "--2".
    base = "a" * 47 + "-bb"
    services.product_create(workspace=workspace, name="One", slug=base)

    second = services.product_create(workspace=workspace, name="Two", slug=base)

    assert second.slug == "a" * 47 + "-2"


def test_slug_suffix_counts_past_existing(api, workspace):
    for slug in ("tool", "tool-2", "tool-3"):
        services.product_create(workspace=workspace, name="Tool", slug=slug, issue_prefix=None)

    assert create(api, name="Tool").json()["data"]["slug"] == "tool-4"


@pytest.mark.parametrize("slug", ["Upper", "with space", "-lead", "trail-", "dou--ble", "under_score", "é", "x" * 51])
def test_invalid_slug_rejected(api, slug):
    assert_field_error(create(api, name="Widget", slug=slug), "slug")


@pytest.mark.parametrize("prefix", ["get", "ABCD", "A-B", "", "   ", "É"])
def test_invalid_prefix_rejected(api, prefix):
    assert_field_error(create(api, name="Widget", issue_prefix=prefix), "issue_prefix")


def test_explicit_prefix_collision_rejected(api, product):
    message = assert_field_error(create(api, name="Widget", issue_prefix="GET"), "issue_prefix")

    assert "GET" in message
    assert Product.objects.count() == 1


def test_prefix_is_trimmed(api):
    assert create(api, name="Widget", issue_prefix=" W2 ").json()["data"]["issue_prefix"] == "W2"


def test_explicit_prefix_accepted(api):
    assert create(api, name="Widget", issue_prefix="W1").json()["data"]["issue_prefix"] == "W1"


def test_prefix_carried_by_other_products_issues_rejected(api, workspace, product):
    issue_create(workspace=workspace, product=product, title="First")
    patch(api, product, issue_prefix="NEW")

    message = assert_field_error(create(api, name="Widget", issue_prefix="GET"), "issue_prefix")

    assert "shortcode" in message


def test_derived_prefix_skips_prefix_carried_by_issues(api, workspace, product):
    issue_create(workspace=workspace, product=product, title="First")
    patch(api, product, issue_prefix="NEW")

    data = create(api, name="GetResolved").json()["data"]

    assert data["issue_prefix"] != "GET"


def test_prefix_of_other_workspace_is_free(api, other_workspace):
    services.product_create(workspace=other_workspace, name="Elsewhere", issue_prefix="GET")

    assert create(api, name="GetResolved").json()["data"]["issue_prefix"] == "GET"


@pytest.mark.parametrize("config", [[1, 2], "text", 5, True])
def test_non_object_widget_config_rejected(api, config):
    assert_field_error(create(api, name="Widget", widget_config=config), "widget_config")


def test_oversized_widget_config_rejected(api):
    config = {"blob": "x" * (16 * 1024)}

    message = assert_field_error(create(api, name="Widget", widget_config=config), "widget_config")

    assert "16 KiB" in message


def test_widget_config_just_under_limit_accepted(api):
    config = {"b": "x" * (16 * 1024 - 10)}

    assert create(api, name="Widget", widget_config=config).status_code == 201


@pytest.mark.parametrize(
    "domain",
    ["https://example.com", "example.com:8080", "example.com/help", "exa mple.com", "", "-bad.com", "a@b.com"],
)
def test_domain_with_scheme_port_or_path_rejected(api, domain):
    assert_field_error(create(api, name="Widget", domain=domain), "domain")


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_invalid_name_rejected(api, name):
    assert_field_error(create(api, name=name), "name")


def test_null_name_rejected(api):
    assert_field_error(create(api, name=None), "name")


def test_create_rejects_unknown_field(api):
    assert_field_error(create(api, name="Widget", stauts="x"), "stauts")


def test_invalid_create_writes_nothing(api, product):
    create(api, name="Widget", issue_prefix="GET", domain="bad domain")

    assert Product.objects.count() == 1


def test_widget_keys_are_unique(api):
    keys = {create(api, name=f"Widget {number}").json()["data"]["widget_key"] for number in range(3)}

    assert len(keys) == 3


# -- Updating ------------------------------------------------------------------


def test_patch_changes_given_fields_only(api, product):
    response = patch(api, product, name="Renamed", domain="help.example.com")

    assert response.status_code == 200
    data = response.json()["data"]
    assert data["name"] == "Renamed"
    assert data["domain"] == "help.example.com"
    assert data["slug"] == "getresolved"
    assert data["issue_prefix"] == "GET"
    assert data["widget_key"] == product.widget_key


def test_patch_null_clears_widget_config_and_domain(api, workspace):
    product = services.product_create(
        workspace=workspace, name="Widget", widget_config={"a": 1}, domain="help.example.com"
    )

    data = patch(api, product, widget_config=None, domain=None).json()["data"]

    assert data["widget_config"] is None
    assert data["domain"] is None
    product.refresh_from_db()
    assert product.widget_config is None
    assert product.domain is None


def test_patch_slug_collision_rejected(api, workspace, product):
    second = services.product_create(workspace=workspace, name="Second")

    assert_field_error(patch(api, second, slug="getresolved"), "slug")
    second.refresh_from_db()
    assert second.slug == "second"


def test_patch_own_slug_accepted(api, product):
    assert patch(api, product, slug="getresolved").status_code == 200


def test_patch_prefix_collision_rejected(api, workspace, product):
    second = services.product_create(workspace=workspace, name="Second")

    assert_field_error(patch(api, second, issue_prefix="GET"), "issue_prefix")


def test_patch_prefix_carried_by_other_issues_rejected(api, workspace, product):
    issue_create(workspace=workspace, product=product, title="First")
    patch(api, product, issue_prefix="NEW")
    second = services.product_create(workspace=workspace, name="Second")

    assert_field_error(patch(api, second, issue_prefix="GET"), "issue_prefix")


def test_patch_back_to_own_old_prefix_accepted(api, workspace, product):
    issue_create(workspace=workspace, product=product, title="First")
    patch(api, product, issue_prefix="NEW")

    assert patch(api, product, issue_prefix="GET").json()["data"]["issue_prefix"] == "GET"


def test_patch_prefix_applies_to_new_issues(api, workspace, product):
    old = issue_create(workspace=workspace, product=product, title="Old")
    patch(api, product, issue_prefix="NEW")
    product.refresh_from_db()

    new = issue_create(workspace=workspace, product=product, title="New")

    old.refresh_from_db()
    assert old.shortcode.startswith("GET-")
    assert new.shortcode.startswith("NEW-")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("slug", None),
        ("issue_prefix", None),
        ("name", None),
        ("name", "  "),
        ("slug", "Bad Slug"),
        ("issue_prefix", "toolong"),
        ("widget_config", [1]),
        ("domain", "http://x.com"),
    ],
)
def test_patch_invalid_value_rejected(api, product, field, value):
    assert_field_error(patch(api, product, **{field: value}), field)

    product.refresh_from_db()
    assert product.name == "GetResolved"


def test_patch_unknown_field_rejected(api, product):
    assert_field_error(patch(api, product, colour="red"), "colour")


def test_patch_ignores_read_only_fields(api, product):
    response = patch(api, product, widget_key="wk_mine", id=str(uuid.uuid4()), name="Renamed")

    assert response.status_code == 200
    assert response.json()["data"]["widget_key"] == product.widget_key
    assert response.json()["data"]["id"] == str(product.pk)


def test_patch_empty_body_changes_nothing(api, product):
    response = patch(api, product)

    assert response.status_code == 200
    assert (
        response.json()["data"]["updated_at"] == api.get(f"/api/v1/products/{product.pk}").json()["data"]["updated_at"]
    )


@pytest.mark.parametrize(
    ("validator", "value"),
    [(services.validate_slug, "abc\n"), (services.validate_prefix, "GET\n")],
)
def test_validators_reject_trailing_newline(validator, value):
    with pytest.raises(ValidationError):
        validator(value)


def test_widget_config_size_counts_utf8_bytes(api):
    # 3000 emoji are 12000 bytes of UTF-8 but 36000 bytes as \u escapes.
    assert create(api, name="Emoji", widget_config={"e": "\U0001f600" * 3000}).status_code == 201


@pytest.mark.parametrize("config", [{"k": "a\u0000b"}, {"a\u0000": 1}, {"list": [{"deep": "\u0000"}]}])
def test_widget_config_with_nul_rejected(api, config):
    message = assert_field_error(create(api, name="Widget", widget_config=config), "widget_config")

    assert "U+0000" in message


def nested(levels: int) -> dict:
    config = {"leaf": 1}
    for _ in range(levels - 1):
        config = {"child": config}
    return config


def test_widget_config_at_max_depth_accepted(api):
    assert create(api, name="Widget", widget_config=nested(32)).status_code == 201


def test_widget_config_too_deep_rejected(api):
    assert_field_error(create(api, name="Widget", widget_config=nested(33)), "widget_config")


def test_deeply_nested_body_is_validation_error(api, product):
    body = '{"widget_config": {"a": ' + "[" * 5000 + "]" * 5000 + "}}"

    response = api.patch(f"/api/v1/products/{product.pk}", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error_code"] == "validation_error"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_get_distinct_slugs_and_prefixes():
    workspace = services.workspace_create(name="Race", slug="race")
    barrier = threading.Barrier(4)
    created, failures = [], []

    def create_one():
        try:
            barrier.wait()
            created.append(services.product_create(workspace=workspace, name="Same Name"))
        except Exception as exc:  # noqa: BLE001 - the assertion below reports it
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert len({product.slug for product in created}) == 4
    assert len({product.issue_prefix for product in created}) == 4
