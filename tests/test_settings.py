"""Settings read from the environment, checked in a fresh interpreter per case."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
VARIABLES = ("DATABASE_URL", "SECRET_KEY", "SECRET_KEY_FILE", "DEBUG", "ALLOWED_HOSTS", "ANTHROPIC_API_KEY")

PRINT_SETTINGS = """
import json
from getresolved import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST"),
    "debug": settings.DEBUG, "secret_key": settings.SECRET_KEY,
    "allowed_hosts": settings.ALLOWED_HOSTS, "anthropic": settings.ANTHROPIC_API_KEY,
}))
"""


def load_settings(**env) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in VARIABLES}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=PROJECT_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def settings_with(**env) -> dict:
    result = load_settings(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_defaults_with_secret_key():
    values = settings_with(SECRET_KEY="k" * 50)

    assert values["engine"] == "django.db.backends.sqlite3"
    assert Path(values["name"]) == PROJECT_DIR / "db.sqlite3"
    assert values["debug"] is False
    assert values["secret_key"] == "k" * 50
    assert values["allowed_hosts"] == ["localhost", "127.0.0.1", "[::1]"]
    assert values["anthropic"] is None


def test_missing_secret_key_fails_without_debug():
    result = load_settings()

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_debug_allows_development_secret_key():
    values = settings_with(DEBUG="true")

    assert values["debug"] is True
    assert values["secret_key"]


def test_secret_key_from_file(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-a-file\n")

    assert settings_with(SECRET_KEY_FILE=str(secret_file))["secret_key"] == "from-a-file"


def test_postgres_database_url():
    values = settings_with(SECRET_KEY="k", DATABASE_URL="postgres://user:pw@db.internal:5432/getresolved")

    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "getresolved"
    assert values["host"] == "db.internal"


def test_allowed_hosts_and_anthropic_key():
    values = settings_with(SECRET_KEY="k", ALLOWED_HOSTS="api.example.com, .example.org", ANTHROPIC_API_KEY="sk-x")

    assert values["allowed_hosts"] == ["api.example.com", ".example.org"]
    assert values["anthropic"] == "sk-x"


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_invalid_debug_fails(value):
    result = load_settings(SECRET_KEY="k", DEBUG=value)

    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_empty_anthropic_key_is_none():
    assert settings_with(SECRET_KEY="k", ANTHROPIC_API_KEY="")["anthropic"] is None


def test_psycopg_3_installed():
    import psycopg

    assert psycopg.__version__.startswith("3.")


def test_invalid_rate_limit_fails_at_startup():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT_DIR,
        env={
            **os.environ,
            "SECRET_KEY": "k",
            "API_RATE_LIMIT": "lots",
            "DJANGO_SETTINGS_MODULE": "getresolved.settings",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "API_RATE_LIMIT" in result.stderr
