"""The fixed cast of the test suite.

`workspace` is ours: an owner who created `api_key`, an agent, and a product.
`other_workspace` belongs to an outsider with their own product and key; every
endpoint test should prove that the outsider's objects stay invisible.
"""

import pytest
from django.db import connection
from rest_framework.test import APIClient

from workspaces import services
from workspaces.models import Member


@pytest.fixture
def workspace(db):
    return services.workspace_create(name="Acme", slug="acme")


@pytest.fixture
def owner(workspace):
    return services.member_create(workspace=workspace, role=Member.Role.OWNER, display_name="Olivia Owner")


@pytest.fixture
def agent(workspace):
    return services.member_create(workspace=workspace, role=Member.Role.AGENT, display_name="Arthur Agent")


@pytest.fixture
def product(workspace):
    return services.product_create(workspace=workspace, name="GetResolved")


@pytest.fixture
def key_and_secret(workspace, owner):
    return services.api_key_issue(workspace=workspace, created_by=owner, name="tests")


@pytest.fixture
def api_key(key_and_secret):
    return key_and_secret[0]


@pytest.fixture
def api(key_and_secret):
    """A DRF test client authenticated with the owner's read-write key."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key_and_secret[1]}")
    return client


@pytest.fixture
def read_only_api(workspace, owner):
    _, secret = services.api_key_issue(workspace=workspace, created_by=owner, read_only=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def memberless_api(workspace):
    """A client whose key has no creating member, so `/me` has member null."""
    _, secret = services.api_key_issue(workspace=workspace, created_by=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def anonymous_api():
    return APIClient()


@pytest.fixture
def other_workspace(db):
    return services.workspace_create(name="Outsider Inc", slug="outsider")


@pytest.fixture
def other_member(other_workspace):
    return services.member_create(workspace=other_workspace, role=Member.Role.OWNER, display_name="Oscar Outsider")


@pytest.fixture
def other_product(other_workspace):
    return services.product_create(workspace=other_workspace, name="Outsider Product")


@pytest.fixture
def other_api(other_workspace, other_member):
    _, secret = services.api_key_issue(workspace=other_workspace, created_by=other_member)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def pytest_collection_modifyitems(config, items):
    # Deferred to collection time because the database vendor is only known
    # once Django's settings are loaded.
    if is_postgres():
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL row locks; run with DATABASE_URL=postgres://...")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)
