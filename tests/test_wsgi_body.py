"""Chunked request bodies through the real WSGI application."""

import io
import json

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from getresolved.wsgi import application


@pytest.fixture(autouse=True)
def keep_test_connection():
    """Keep the request from closing the test's database connection, as Django's test client does.

    The WSGI handler closes old connections when a request starts and ends,
    which on PostgreSQL would close the connection that contains the test transaction.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def call_wsgi(method, path, body: bytes, *, secret, terminated=True, chunked=True):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_TYPE": "application/json",
        "HTTP_AUTHORIZATION": f"Bearer {secret}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if chunked:
        # The server has already de-chunked the stream, as gunicorn does.
        environ["HTTP_TRANSFER_ENCODING"] = "chunked"
        environ["wsgi.input_terminated"] = terminated
    else:
        environ["CONTENT_LENGTH"] = str(len(body))
    captured = {}

    def start_response(status, headers):
        captured["status"] = int(status.split()[0])

    payload = b"".join(application(environ, start_response))
    return captured["status"], json.loads(payload)


def test_chunked_body_reaches_the_view(key_and_secret, product):
    body = json.dumps({"name": "Chunked product"}).encode()

    status, payload = call_wsgi("POST", "/api/v1/products", body, secret=key_and_secret[1])

    assert status == 201
    assert payload["data"]["name"] == "Chunked product"


def test_chunked_body_without_terminated_stream_is_411(key_and_secret):
    body = json.dumps({"name": "Never read"}).encode()

    status, payload = call_wsgi("POST", "/api/v1/products", body, secret=key_and_secret[1], terminated=False)

    assert status == 411
    assert payload["error_code"] == "length_required"


def test_chunked_body_over_limit_is_413(key_and_secret, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    body = json.dumps({"name": "x" * 200}).encode()

    status, payload = call_wsgi("POST", "/api/v1/products", body, secret=key_and_secret[1])

    assert status == 413
    assert payload["error_code"] == "payload_too_large"


def test_body_with_content_length_is_unchanged(key_and_secret, product):
    body = json.dumps({"name": "Plain product"}).encode()

    status, payload = call_wsgi("POST", "/api/v1/products", body, secret=key_and_secret[1], chunked=False)

    assert status == 201
    assert payload["data"]["name"] == "Plain product"
