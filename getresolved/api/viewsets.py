"""Base viewset for workspace-owned resources.

Every queryset starts from `workspace_queryset()`, so a concrete viewset cannot
forget the tenant filter, and another workspace's object is a plain 404.
"""

import uuid

from django.http import Http404
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response


def envelope(data) -> dict:
    return {"data": data}


class WorkspaceViewSet(viewsets.GenericViewSet):
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
