"""drf-spectacular customisation so that openapi.json shows the bodies as served.

- 2xx single-object responses are wrapped in `{data: ...}`; lists use the
  pagination envelope from LimitOffsetPagination. Views that serve a document
  as is (openapi.json, llms.txt) set `response_envelope = False`.
- Each operation lists the error responses it can return, each with an
  `error_code` enum limited to the codes that status carries.
- Create and update operations document their output serializer.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent, get_override, is_serializer
from drf_spectacular.utils import OpenApiResponse

from getresolved.api.deprecation import successor_path

# status -> (component name, error codes, description)
ERROR_RESPONSES = {
    "400": ("ValidationErrorResponse", ["validation_error"], "The request body or query is invalid."),
    "401": ("UnauthorizedResponse", ["unauthorized"], "Missing, malformed, unknown, revoked or expired API key."),
    "403": ("ForbiddenResponse", ["forbidden"], "A read-only key on a write, or a disabled workspace."),
    "404": ("NotFoundResponse", ["not_found"], "No such object in this workspace, or a malformed id in the path."),
    "405": ("MethodNotAllowedResponse", ["method_not_allowed"], "The path does not serve this method."),
    "413": ("PayloadTooLargeResponse", ["payload_too_large"], "The request body is over the size limit."),
    "415": ("UnsupportedMediaTypeResponse", ["unsupported_media_type"], "The request body is not JSON."),
    "429": ("RateLimitedResponse", ["rate_limited"], "Too many requests for this key; see Retry-After."),
    "500": ("InternalErrorResponse", ["internal_error"], "Unexpected server error; the body names the request id."),
}

# Headers on every response of a deprecated alias path (see getresolved.api.deprecation).
DEPRECATION_HEADERS = {
    "Deprecation": {"schema": {"type": "string", "const": "true"}, "description": "This path is deprecated."},
    "Link": {
        "schema": {"type": "string"},
        "description": 'The same resource under its successor path, as `<path>; rel="successor-version"`.',
    },
}


def error_schema(codes: list[str], with_fields: bool) -> dict:
    properties = {
        "error_code": {"type": "string", "enum": codes},
        "detail": {"type": "string", "description": "A sentence saying what failed and what to do."},
    }
    if with_fields:
        properties["fields"] = {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "Per-field messages, keyed by field or query parameter name.",
        }
    return {"type": "object", "required": ["error_code", "detail"], "properties": properties}


class EnvelopeAutoSchema(AutoSchema):
    def is_deprecated(self):
        return super().is_deprecated() or successor_path(self.view, self.path) is not None

    def get_response_serializers(self):
        output = getattr(self.view, "output_serializer_class", None)
        action = getattr(self.view, "action", None)
        if (
            output is not None
            and action in ("create", "partial_update")
            and get_override(self.view, "responses") is None
        ):
            return output
        return super().get_response_serializers()

    def _resolve_path_parameters(self, variables):
        parameters = super()._resolve_path_parameters(variables)
        lookup_schema = getattr(self.view, "lookup_schema", None)
        if lookup_schema:
            for parameter in parameters:
                if parameter["name"] in self._lookup_parameter_names():
                    parameter["schema"] = dict(lookup_schema)
        return parameters

    def _lookup_parameter_names(self) -> set[str]:
        names = {getattr(self.view, "lookup_url_kwarg", None), getattr(self.view, "lookup_field", None)}
        # drf-spectacular renames a `pk` path variable to `id` (SCHEMA_COERCE_PATH_PK).
        if "pk" in names:
            names.add("id")
        return names

    def _get_response_for_code(self, serializer, status_code, media_types=None, direction="response"):
        response = super()._get_response_for_code(serializer, status_code, media_types, direction)
        if not ("200" <= str(status_code) < "300") or "content" not in response:
            return response
        if not getattr(self.view, "response_envelope", True):
            return response
        if (
            self._is_list_view(serializer if is_serializer(serializer) else None)
            and get_override(serializer, "many") is not False
        ):
            return response
        # An OpenApiResponse carries the serializer in `.response`.
        body = serializer.response if isinstance(serializer, OpenApiResponse) else serializer
        if getattr(body, "is_envelope", False) or getattr(getattr(body, "__class__", None), "is_envelope", False):
            return response
        for media in response["content"].values():
            media["schema"] = {
                "type": "object",
                "required": ["data"],
                "properties": {"data": media["schema"]},
            }
        return response

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status_code in self._error_statuses():
            if status_code not in responses:
                responses[status_code] = self._error_response(status_code)
        if successor_path(self.view, self.path) is not None:
            for response in responses.values():
                response.setdefault("headers", {}).update(DEPRECATION_HEADERS)
        return responses

    def _error_statuses(self) -> list[str]:
        public = getattr(self.view, "public_endpoint", False)
        statuses = [] if public else ["401", "403", "429"]
        if self.method in ("POST", "PATCH", "PUT"):
            statuses += ["400", "413", "415"]
        elif self.method == "GET" and self._is_list_view() and not public:
            # limit, offset and the filters are validated.
            statuses.append("400")
        if "{" in self.path:
            statuses.append("404")
        statuses.append("500")
        return sorted(set(statuses))

    def _error_response(self, status_code: str) -> dict:
        name, codes, description = ERROR_RESPONSES[status_code]
        component = ResolvedComponent(
            name=name,
            type=ResolvedComponent.SCHEMA,
            object=name,
            schema=error_schema(codes, with_fields=status_code == "400"),
        )
        self.registry.register_on_missing(component)
        response = {
            "description": description,
            "content": {"application/json": {"schema": component.ref}},
        }
        if status_code == "401":
            response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string", "const": "Bearer"}}}
        elif status_code == "429":
            response["headers"] = {
                "Retry-After": {
                    "schema": {"type": "integer"},
                    "description": "Seconds to wait before retrying.",
                }
            }
        return response


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "getresolved.api.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A workspace API key, `gr_` followed by the secret, issued once.",
        }
