"""Property-based checks of every operation against openapi.json, with schemathesis.

The schema is loaded from the application itself, and requests go through the
WSGI stack in-process with a valid key, so each generated case exercises the
real authentication, validation and database code. Every response must be a
non-5xx whose status, content type, headers and body the schema declares.

Schema-valid ("positive") cases get the ids of seeded objects in place of the
random UUIDs schemathesis draws, so they reach the code behind the lookup
instead of stopping at a 404 or an unknown-id validation error.
"""

import os
from dataclasses import dataclass

import jsonschema
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from conversations import services as conversation_services
from getresolved.wsgi import application
from issues import services as issue_services
from issues.models import IssueStatus
from releases import services as release_services

# CI keeps the run short; `make fuzz` raises this for a deeper search.
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "15"))

# Building the schema needs no database, so it can happen at collection time.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

# Body fields with rules that JSON Schema cannot state, so a schema-valid
# value may still be a 400 naming the field: uniqueness within the workspace
# and the issue status table (an earlier example may have written a clashing
# row), the state of the issues a release names, and the size, depth and
# no-NUL limits of widget_config, which its description states.
SERVER_ONLY_RULES = {
    ("POST", "/api/v1/products"): {"slug", "issue_prefix", "widget_config"},
    ("PATCH", "/api/v1/products/{id}"): {"slug", "issue_prefix", "widget_config"},
    ("POST", "/api/v1/releases"): {"version", "issue_ids"},
    ("PATCH", "/api/v1/issues/{id}"): {"status"},
    ("PATCH", "/api/v1/actions/{id}"): {"status"},
}


@dataclass
class Seed:
    secret: str
    ids: dict[str, str]
    query_ids: dict[str, str]
    product_id: str
    conversation_id: str
    workspace: object
    product: object


@pytest.fixture
def wsgi_keeps_connection():
    """Keep the test's database connection open across WSGI requests.

    Django's handler closes connections whose autocommit differs from the
    settings at request start and end, which is every connection inside a
    test transaction. Its test client disconnects the same handlers.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(db, wsgi_keeps_connection, workspace, key_and_secret, product, agent, other_product, other_workspace):
    conversation = conversation_services.conversation_create(
        workspace=workspace, product=product, message="The export button does nothing."
    )
    issue = issue_services.issue_create(workspace=workspace, product=product, title="Export fails")
    release = release_services.release_create(workspace=workspace, product=product, title="First release")
    # Objects of another workspace, which no generated request may reach.
    conversation_services.conversation_create(workspace=other_workspace, product=other_product, message="Hidden")
    issue_services.issue_create(workspace=other_workspace, product=other_product, title="Hidden")

    ids = {
        "products": str(product.pk),
        "conversations": str(conversation.pk),
        "items": str(conversation.pk),
        "issues": str(issue.pk),
        "actions": str(issue.pk),
        "releases": str(release.pk),
    }
    return Seed(
        secret=key_and_secret[1],
        ids=ids,
        query_ids={"product_id": str(product.pk), "assignee_id": str(agent.pk)},
        product_id=str(product.pk),
        conversation_id=str(conversation.pk),
        workspace=workspace,
        product=product,
    )


def use_seeded_ids(case, seed: Seed) -> None:
    """Point a schema-valid case at seeded objects of the key's workspace."""
    resource = case.path.split("/")[3]
    if case.path_parameters and "id" in case.path_parameters and resource in seed.ids:
        case.path_parameters["id"] = seed.ids[resource]
    if resource in ("issues", "actions") and case.method == "PATCH":
        # A fresh pending issue each time, so an earlier example's move to a
        # terminal status does not turn every later transition into a 400.
        issue = issue_services.issue_create(workspace=seed.workspace, product=seed.product, title="Fuzzed issue")
        case.path_parameters["id"] = str(issue.pk)
    for name, value in (case.query or {}).items():
        if name in seed.query_ids and value not in (None, "", []):
            case.query[name] = seed.query_ids[name]

    body = case.body
    if not isinstance(body, dict):
        return
    if "product_id" in body:
        body["product_id"] = seed.product_id
    if isinstance(body.get("conversation_ids"), list):
        body["conversation_ids"] = [seed.conversation_id] if body["conversation_ids"] else []
    if isinstance(body.get("issue_ids"), list):
        issue = issue_services.issue_create(
            workspace=seed.workspace, product=seed.product, title="Done issue", status=IssueStatus.DONE
        )
        body["issue_ids"] = [issue.shortcode] if body["issue_ids"] else []
    if "assignee_id" in body and body["assignee_id"] not in (None, "me"):
        body["assignee_id"] = "me"


def positive_data_accepted(ctx, response, case):
    """Schema-valid requests succeed, except for a 400 naming only SERVER_ONLY_RULES fields.

    Replaces schemathesis's positive_data_acceptance, which cannot know that a
    uniqueness clash or a forbidden status change is a 400 by design.
    """
    if not is_positive(case) or response.status_code != 400:
        return positive_data_acceptance(ctx, response, case)
    allowed = SERVER_ONLY_RULES.get((case.method, case.path), set())
    fields = set(response.json().get("fields") or {})
    if not fields or not fields <= allowed:
        raise AssertionError(f"Schema-valid request rejected: {response.text}")
    return None


def negative_data_rejected(ctx, response, case):
    """Schema-invalid requests fail, except for blank or padded items of a list filter.

    Replaces schemathesis's negative_data_rejection. The server trims each
    comma-separated filter item and skips blank ones (`status=done,` filters on
    done), which the OpenAPI item enums cannot express. A case whose only
    invalid part is its query, and whose query is valid once normalised that
    way, may be accepted. Generated Authorization headers count as valid,
    because every request sends the seeded key in their place.
    """
    meta = getattr(case, "meta", None)
    if meta is not None and 200 <= response.status_code < 300:
        negative = {location for location, info in meta.components.items() if not info.mode.is_positive}
        if negative <= {ParameterLocation.QUERY, ParameterLocation.HEADER} and _query_valid_when_normalised(case):
            return None
    return negative_data_rejection(ctx, response, case)


def _query_valid_when_normalised(case) -> bool:
    operation = schema.raw_schema["paths"][case.path].get(case.method.lower())
    if operation is None:
        # A probe with a method the path does not serve.
        return False
    parameters = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "query"}
    for name, value in (case.query or {}).items():
        parameter = parameters.get(name)
        if parameter is None:
            return False
        values = value if isinstance(value, list) else [value]
        items = [item.strip() for raw in values for item in str(raw).split(",") if item.strip()]
        if not items:
            # Sent empty, which the parameter's allowEmptyValue admits.
            continue
        item_schema = parameter["schema"].get("items")
        if item_schema is None:
            return False
        for item in items:
            try:
                jsonschema.validate(item, item_schema, format_checker=jsonschema.FormatChecker())
            except jsonschema.ValidationError:
                return False
    return True


def is_positive(case) -> bool:
    meta = getattr(case, "meta", None)
    return meta is not None and meta.generation.mode.is_positive


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=True,
)
def test_operation_conforms_to_schema(case, seeded):
    if is_positive(case):
        use_seeded_ids(case, seeded)
    case.call_and_validate(
        headers={"Authorization": f"Bearer {seeded.secret}"},
        excluded_checks=[positive_data_acceptance, negative_data_rejection],
        additional_checks=[positive_data_accepted, negative_data_rejected],
    )
