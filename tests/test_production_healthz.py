from unittest import mock

from django.db import OperationalError, connection


def test_healthz_ok_without_key(db, client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_unavailable_when_database_fails(db, client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert "database" in body["detail"]


def test_healthz_rejects_post(db, client):
    response = client.post("/healthz")

    assert response.status_code == 405


def test_healthz_not_redirected_to_https(db, client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/api/v1/llms.txt").status_code == 301
