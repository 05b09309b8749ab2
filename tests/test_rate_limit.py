import pytest
from django.core.exceptions import ImproperlyConfigured

from getresolved.api.throttling import parse_rate


@pytest.fixture
def three_per_minute(settings):
    settings.API_RATE_LIMIT = "3/minute"
    # A fresh cache name per test keeps counts from leaking between tests.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rate-limit-tests"}
    }
    from django.core.cache import caches

    caches["default"].clear()


def test_rate_limit_rejects_after_limit(api, three_per_minute):
    statuses = [api.get("/api/v1/me").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_rate_limit_body_and_retry_after(api, three_per_minute):
    for _ in range(3):
        api.get("/api/v1/me")

    response = api.get("/api/v1/me")

    assert response.status_code == 429
    assert response.json()["error_code"] == "rate_limited"
    retry_after = int(response["Retry-After"])
    assert 1 <= retry_after <= 61


def test_rate_limit_counts_each_key_separately(api, other_api, three_per_minute):
    for _ in range(3):
        api.get("/api/v1/me")

    assert api.get("/api/v1/me").status_code == 429
    assert other_api.get("/api/v1/me").status_code == 200


def test_rate_limit_off_disables_it(api, settings):
    settings.API_RATE_LIMIT = "off"

    statuses = {api.get("/api/v1/me").status_code for _ in range(5)}

    assert statuses == {200}


@pytest.mark.parametrize(
    ("rate", "expected"),
    [("600/minute", (600, 60)), ("5/second", (5, 1)), ("10 / hour", (10, 3600)), ("off", None), ("", None)],
)
def test_parse_rate_accepts_valid_rates(rate, expected):
    assert parse_rate(rate) == expected


@pytest.mark.parametrize("rate", ["600", "ten/minute", "5/fortnight", "-1/minute"])
def test_parse_rate_rejects_invalid_rates(rate):
    with pytest.raises(ImproperlyConfigured):
        parse_rate(rate)
