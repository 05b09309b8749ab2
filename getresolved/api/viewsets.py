"""Base views for the API.

Every queryset starts from `workspace_queryset()`, so a concrete viewset cannot
forget the tenant filter, and another workspace's object is a plain 404.
Every view rejects query parameters it does not declare.
"""

import uuid

from django.http import Http404
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from getresolved.api.exceptions import InvalidRequest

PAGINATION_PARAMETERS = ("limit", "offset")
# Bounds on what an error about unknown parameters echoes back.
_MAX_REPORTED_PARAMETERS = 20
_MAX_REPORTED_NAME_LENGTH = 100


def envelope(data) -> dict:
    return {"data": data}


def allowed_query_parameters(view) -> set[str]:
    """Return the query parameter names VIEW accepts for its current action.

    Lists accept `limit`, `offset` and their FilterSet's filters; every other
    operation accepts only the names in the view's `extra_query_parameters`.
    openapi.json documents the same set (a test compares them).
    """
    names = set(getattr(view, "extra_query_parameters", ()))
    if getattr(view, "action", None) == "list":
        if getattr(view, "pagination_class", None) is not None:
            names.update(PAGINATION_PARAMETERS)
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is not None:
            names.update(filterset_class.base_filters)
    return names


class RejectUnknownQueryParametersMixin:
    """Reject query parameters the operation does not declare with a validation_error.

    A misspelt filter (`?stauts=open`) would otherwise be ignored and return
    an unfiltered list. The check runs after authentication, permissions and
    throttling, so those errors take precedence.
    """

    extra_query_parameters: tuple[str, ...] = ()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            # Leave the request to DRF's 405, which names the allowed methods.
            return
        allowed = allowed_query_parameters(self)
        unknown = sorted(name for name in request.query_params if name not in allowed)
        if not unknown:
            return

        reported = [name[:_MAX_REPORTED_NAME_LENGTH] for name in unknown[:_MAX_REPORTED_PARAMETERS]]
        if allowed:
            accepted = "This operation accepts only " + ", ".join(sorted(allowed)) + "."
        else:
            accepted = "This operation accepts no query parameters."
        noun = "parameter" if len(reported) == 1 else "parameters"
        raise InvalidRequest(
            f"Unknown query {noun} {', '.join(repr(name) for name in reported)}. {accepted}",
            fields={name: "Unknown query parameter." for name in reported},
        )


class ApiView(RejectUnknownQueryParametersMixin, APIView):
    """Base for API views that are not viewsets."""


class WorkspaceViewSet(RejectUnknownQueryParametersMixin, viewsets.GenericViewSet):
    # Scoped queryset, UUID path lookups and the `{data}` envelope for singles.
    # Set `queryset` to the unscoped base queryset, and `workspace_field` when the
    # model reaches its workspace through a relation. `lookup_schema` is the
    # OpenAPI schema of the `{id}` path parameter.
    lookup_schema = {"type": "string", "format": "uuid"}

    workspace_field = "workspace"
    lookup_value_regex = "[^/]+"
    http_method_names = ["get", "post", "patch", "head", "options"]

    @property
    def workspace(self):
        return self.request.user.workspace

    def workspace_queryset(self):
        return self.queryset.model._default_manager.all() if self.queryset is None else self.queryset.all()

    def get_queryset(self):
        return self.workspace_queryset().filter(**{self.workspace_field: self.workspace})

    def get_object(self):
        lookup = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        try:
            uuid.UUID(str(lookup))
        except ValueError:
            raise Http404 from None
        return super().get_object()


# The mixins carry no docstrings on purpose: drf-spectacular would publish them
# as the description of every operation.


class ListModelMixin(mixins.ListModelMixin):
    # Always paginates, into `{data, pagination}`.

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)


class RetrieveModelMixin:
    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        return Response(envelope(self.get_serializer(instance).data))


class CreateModelMixin:
    # Validates with the input serializer; `perform_create(validated_data)` returns
    # the created instance, normally by calling a service function.

    output_serializer_class = None

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = self.perform_create(serializer.validated_data)
        return Response(envelope(self.get_output_serializer(instance).data), status=status.HTTP_201_CREATED)

    def get_output_serializer(self, instance):
        serializer_class = self.output_serializer_class or self.get_serializer_class()
        return serializer_class(instance, context=self.get_serializer_context())


class PartialUpdateModelMixin:
    # `perform_update(instance, validated_data)` returns the updated instance.

    output_serializer_class = None

    def partial_update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        instance = self.perform_update(instance, serializer.validated_data)
        return Response(envelope(self.get_output_serializer(instance).data))

    def get_output_serializer(self, instance):
        serializer_class = self.output_serializer_class or self.get_serializer_class()
        return serializer_class(instance, context=self.get_serializer_context())
