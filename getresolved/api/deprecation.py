"""Deprecated path aliases: one viewset served under an old and a new prefix.

A viewset lists `deprecated_aliases`, mapping an old path prefix to its
successor. Responses under an old prefix carry `Deprecation: true` and a `Link`
to the same resource under the successor prefix, and EnvelopeAutoSchema marks
their operations deprecated in openapi.json.
"""

from django.utils.encoding import escape_uri_path, iri_to_uri


def successor_path(view, path: str) -> str | None:
    """Return PATH under the successor prefix, or None when PATH is not an alias."""
    for alias, successor in getattr(view, "deprecated_aliases", {}).items():
        if path == alias or path.startswith(alias + "/"):
            return successor + path[len(alias) :]
    return None


class DeprecatedAliasMixin:
    deprecated_aliases: dict[str, str] = {}

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        successor = successor_path(self, request.path_info)
        if successor is not None:
            # request.path also contains the script prefix when the app is not mounted at /.
            script_prefix = request.path[: len(request.path) - len(request.path_info)]
            # The decoded path may contain characters a header cannot carry
            # (such as a line feed sent as %0A), so it is percent-encoded again.
            target = escape_uri_path(f"{script_prefix}{successor}")
            query = request.META.get("QUERY_STRING", "")
            if query:
                target = f"{target}?{iri_to_uri(query)}"
            response["Deprecation"] = "true"
            response["Link"] = f'<{target}>; rel="successor-version"'
        return response
