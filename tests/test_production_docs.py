"""Swagger UI and Redoc: served without a key, from local static files."""

import re

import pytest


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_docs_page_served_without_key(db, client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "/api/v1/openapi.json" in response.content.decode()


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_docs_assets_are_local(db, client, path):
    html = client.get(path).content.decode()

    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    for source in sources:
        assert source.startswith("/static/drf_spectacular_sidecar/"), source
        assert client.get(source).status_code == 200, source


def test_docs_pages_not_in_openapi_document(db, client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert not [path for path in paths if "docs" in path or "redoc" in path]
