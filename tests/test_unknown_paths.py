import pytest


@pytest.mark.parametrize("method", ["post", "patch", "put", "delete"])
@pytest.mark.parametrize("path", ["/api/v1/issues/", "/api/v1/nope", "/api/v2/anything"])
def test_write_to_unknown_api_path_is_json_404(api, method, path):
    response = getattr(api, method)(path, {}, format="json")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error_code"] == "not_found"


@pytest.mark.parametrize("path", ["/api/v1/actions/x%0Ay", "/api/v1/items/x%0Dy"])
def test_alias_path_with_line_break_is_404(api, path):
    response = api.get(path)

    assert response.status_code == 404
    assert "\n" not in response["Link"]
    assert "\r" not in response["Link"]
