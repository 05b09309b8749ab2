"""The URL configuration, openapi.json and llms.txt name the same operations.

Routes are read from Django's URL resolver, so a new endpoint that is served
but not documented (or documented but not served) fails here.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

API_PREFIX = "/api/v1/"
HTTP_METHODS = ("get", "post", "put", "patch", "delete")
# `METHOD /api/v1/...` in llms.txt, up to a backtick, space or query string.
LLMS_OPERATION = re.compile(r"\b(GET|POST|PUT|PATCH|DELETE) (/api/v1/[^\s`?]*)")
PATH_PARAMETER = re.compile(r"\(\?P<\w+>[^)]*\)|<(?:\w+:)?\w+>")


def _route_text(pattern) -> str:
    text = str(pattern.pattern)
    text = text.removeprefix("^").removesuffix("$").replace("\\", "")
    return PATH_PARAMETER.sub("{id}", text)


def _served_methods(callback) -> set[str]:
    actions = getattr(callback, "actions", None)
    if actions is not None:
        return {method.upper() for method in actions if method in HTTP_METHODS}
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    return {method.upper() for method in HTTP_METHODS if hasattr(view_class, method)}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + _route_text(entry))
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + _route_text(entry), entry.callback


def served_operations() -> set[tuple[str, str]]:
    """Return (method, path) for every operation under /api/v1, with path parameters as {id}."""
    operations = set()
    for path, callback in _walk(get_resolver().url_patterns):
        if not path.startswith(API_PREFIX) or not hasattr(callback, "cls"):
            continue
        for method in _served_methods(callback):
            operations.add((method, path))
    return operations


def openapi_operations(spec) -> set[tuple[str, str]]:
    operations = set()
    for path, item in spec["paths"].items():
        normalized = re.sub(r"\{[^}]+\}", "{id}", path)
        operations.update((method.upper(), normalized) for method in item if method in HTTP_METHODS)
    return operations


def _matches(route: str, path: str) -> bool:
    route_parts, path_parts = route.split("/"), path.split("/")
    if len(route_parts) != len(path_parts):
        return False
    return all(r == p or (r == "{id}" and p not in ("", "maybe")) for r, p in zip(route_parts, path_parts, strict=True))


def _alias_prefixes() -> dict[str, str]:
    """Map each deprecated alias prefix to its successor, from the viewsets that serve them."""
    aliases = {}
    for _, callback in _walk(get_resolver().url_patterns):
        aliases.update(getattr(getattr(callback, "cls", None), "deprecated_aliases", {}))
    return aliases


@pytest.fixture(scope="module")
def served():
    return served_operations()


def test_served_operations_found(served):
    # Guards the resolver walk itself: an empty set would make the comparisons vacuous.
    assert ("GET", "/api/v1/me") in served
    assert ("PATCH", "/api/v1/products/{id}") in served
    assert ("POST", "/api/v1/conversations/{id}/messages") in served


def test_openapi_lists_every_served_operation(served, anonymous_api):
    spec = anonymous_api.get("/api/v1/openapi.json").json()

    documented = openapi_operations(spec)

    assert sorted(served - documented) == []
    assert sorted(documented - served) == []


def test_openapi_marks_alias_operations_deprecated(anonymous_api):
    spec = anonymous_api.get("/api/v1/openapi.json").json()
    aliases = tuple(prefix + "/" for prefix in _alias_prefixes()) + tuple(_alias_prefixes())

    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            is_alias = path in aliases or path.startswith(aliases)
            assert operation.get("deprecated", False) is is_alias, f"{method.upper()} {path}"


def test_llms_txt_lists_every_served_operation(served, anonymous_api):
    text = anonymous_api.get("/api/v1/llms.txt").content.decode()
    mentioned = set(LLMS_OPERATION.findall(text))

    unknown = sorted(
        f"{method} {path}"
        for method, path in mentioned
        if not any(m == method and _matches(route, path) for m, route in served)
    )
    documented = {
        (method, route) for method, route in served if any(m == method and _matches(route, p) for m, p in mentioned)
    }
    # An alias is documented once, as "every path above works under the old
    # name", so its operations count when their successor's are listed.
    for alias, successor in _alias_prefixes().items():
        assert f"`{alias}`" in text, alias
        documented |= {
            (method, alias + route[len(successor) :])
            for method, route in documented
            if route == successor or route.startswith(successor + "/")
        }

    assert unknown == []
    assert sorted(served - documented) == []
