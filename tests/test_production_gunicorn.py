"""gunicorn.conf.py: its settings from the environment, and a real server started with it."""

import json
import os
import re
import runpy
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
CONFIG = PROJECT_DIR / "gunicorn.conf.py"
GUNICORN = Path(sys.executable).with_name("gunicorn")


def load_config(monkeypatch, **env) -> dict:
    for name in ("GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_TIMEOUT", "LOG_FORMAT", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_config_defaults(monkeypatch):
    config = load_config(monkeypatch)

    assert config["bind"] == ["127.0.0.1:8000"]
    assert 1 <= config["workers"] <= 12
    assert config["timeout"] == 30
    assert config["accesslog"] is None
    assert config["wsgi_app"] == "getresolved.wsgi:application"


def test_config_from_environment(monkeypatch):
    config = load_config(
        monkeypatch,
        GUNICORN_BIND="0.0.0.0:9000, unix:/run/gr.sock",
        GUNICORN_WORKERS="3",
        GUNICORN_TIMEOUT="60",
        LOG_LEVEL="debug",
        LOG_FORMAT="json",
    )

    assert config["bind"] == ["0.0.0.0:9000", "unix:/run/gr.sock"]
    assert config["workers"] == 3
    assert config["timeout"] == 60
    assert config["loglevel"] == "debug"
    assert config["logconfig_dict"]["handlers"]["console"]["formatter"] == "json"


def test_config_rejects_bad_integer(monkeypatch):
    with pytest.raises(SystemExit, match="GUNICORN_WORKERS='many'"):
        load_config(monkeypatch, GUNICORN_WORKERS="many")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback URL built here)
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_until_serving(url: str, server: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"gunicorn exited with {server.returncode}")
        try:
            fetch(url)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn did not answer {url} within {seconds} s")


@pytest.fixture
def production_env(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DEBUG") and not key.startswith(("GUNICORN_", "SECURE_"))
    }
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": "gunicorn-smoke-test-secret-key-long-enough-to-look-real-0123456789",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "STATIC_ROOT": str(tmp_path / "static"),
            "LOG_FORMAT": "json",
            "GUNICORN_WORKERS": "1",
        }
    )
    return env


def test_gunicorn_serves_health_and_static_files(production_env):
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=PROJECT_DIR,
        env=production_env,
        check=True,
        timeout=120,
    )
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(GUNICORN), "--config", str(CONFIG), "--no-control-socket"],
        cwd=PROJECT_DIR,
        env={**production_env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_serving(f"{base_url}/healthz", server)

        status, _, body = fetch(f"{base_url}/healthz")
        assert status == 200
        assert json.loads(body) == {"status": "ok"}

        status, _, page = fetch(f"{base_url}/admin/login/")
        assert status == 200
        stylesheet = re.search(r'href="(/static/admin/css/base\.[0-9a-f]{12}\.css)"', page.decode())
        assert stylesheet, "the login page should link the hashed stylesheet from the manifest"

        status, headers, css = fetch(base_url + stylesheet.group(1))
        assert status == 200
        assert headers["Content-Type"].startswith("text/css")
        assert "immutable" in headers["Cache-Control"]
        assert css

        status, _, _ = fetch(f"{base_url}/api/docs/")
        assert status == 200
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)

    entries = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    assert len(entries) == len(stderr.splitlines()), stderr
    assert any(entry["logger"] == "gunicorn.error" for entry in entries)
    paths = [entry["path"] for entry in entries if entry["logger"] == "getresolved.request"]
    assert paths == ["/admin/login/", stylesheet.group(1), "/api/docs/"]
