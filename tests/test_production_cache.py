"""CACHE_URL: a Redis cache shared by every process, read from the environment by the settings."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
REDIS_SERVER = shutil.which("redis-server")


def run_django(code: str, cache_url: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update({"DJANGO_SETTINGS_MODULE": "getresolved.settings", "DEBUG": "true", "CACHE_URL": cache_url})
    script = f"import django; django.setup(); from django.core.cache import cache; {code}"
    return subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def redis_url(tmp_path):
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed; `apt-get install redis-server` runs this test")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_cache_shared_between_processes(redis_url):
    writer = run_django("cache.set('shared-counter', 1); cache.incr('shared-counter')", redis_url)
    assert writer.returncode == 0, writer.stderr

    reader = run_django(
        "from django.core.cache import caches; print(type(caches['default']).__name__, cache.get('shared-counter'))",
        redis_url,
    )

    assert reader.returncode == 0, reader.stderr
    assert reader.stdout.strip() == "RedisCache 2"


def test_cache_url_must_be_redis():
    result = run_django("pass", "memcached://127.0.0.1:11211")

    assert result.returncode != 0
    assert "CACHE_URL='memcached://127.0.0.1:11211' is not a Redis URL" in result.stderr
