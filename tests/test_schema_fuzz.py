"""Property-based checks of every operation against openapi.json, with schemathesis.

The schema is loaded from the application itself, and requests go through the
WSGI stack in-process with a valid key, so each generated case exercises the
real authentication, validation and database code. Every response must be a
non-5xx whose status, content type and body the schema declares.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from getresolved.wsgi import application

# CI keeps the run short; `make fuzz` raises this for a deeper search.
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "25"))


# Building the schema needs no database, so it can happen at collection time.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def seeded(db, key_and_secret, product, agent, other_product):
    return key_and_secret[1]


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=True,
)
def test_operation_conforms_to_schema(case, seeded):
    case.call_and_validate(headers={"Authorization": f"Bearer {seeded}"})
