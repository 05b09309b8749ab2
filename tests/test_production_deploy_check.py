"""`manage.py check --deploy` with the production environment the README lists."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent

# The README's production example, with a throwaway secret of realistic length.
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k3Fq9vZp2LwR8xT1mN6bY4cH7jD0sG5aE2uQ9iO3lK8rW1zX6vB4nM7tP0yC5hJ",
    "ALLOWED_HOSTS": "support.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://support.example.com",
    "SECURE_PROXY_SSL_HEADER": "true",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
}


def run_deploy_check(extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "SESSION_", "CSRF_")) and key not in ("DEBUG", "DJANGO_SETTINGS_MODULE")
    }
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_production_env():
    # The cookie flags are absent on purpose: with DEBUG off they default to Secure.
    result = run_deploy_check(PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value", "check_id"),
    [
        ("SECURE_SSL_REDIRECT", "false", "security.W008"),
        ("SESSION_COOKIE_SECURE", "false", "security.W012"),
    ],
)
def test_deploy_check_fails_without_setting(variable, value, check_id):
    result = run_deploy_check({**PRODUCTION_ENV, variable: value})

    assert result.returncode != 0
    assert check_id in result.stderr + result.stdout
