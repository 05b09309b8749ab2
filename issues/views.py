from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view

from getresolved.api.deprecation import DeprecatedAliasMixin
from getresolved.api.viewsets import (
    CreateModelMixin,
    ListModelMixin,
    PartialUpdateModelMixin,
    RetrieveModelMixin,
    WorkspaceViewSet,
)
from issues import services
from issues.dedup.views import DeduplicatingCreateMixin
from issues.filtersets import IssueFilterSet
from issues.models import Issue
from issues.selectors import issue_ref_condition
from issues.serializers import (
    IssueCreateSerializer,
    IssueDetailSerializer,
    IssueSerializer,
    IssueUpdateSerializer,
    issue_create_kwargs,
    issue_update_kwargs,
)


@extend_schema_view(
    list=extend_schema(summary="List issues, newest first"),
    create=extend_schema(summary="Create an issue with the product's next shortcode"),
    retrieve=extend_schema(summary="Get an issue and its linked conversations"),
    partial_update=extend_schema(summary="Change an issue's status, priority, assignee or text"),
)
class IssueViewSet(
    DeprecatedAliasMixin,
    DeduplicatingCreateMixin,
    ListModelMixin,
    RetrieveModelMixin,
    CreateModelMixin,
    PartialUpdateModelMixin,
    WorkspaceViewSet,
):
    deprecated_aliases = {"/api/v1/actions": "/api/v1/issues"}
    queryset = Issue.objects.order_by("-created_at", "-id")
    filterset_class = IssueFilterSet
    output_serializer_class = IssueDetailSerializer
    lookup_schema = {
        "type": "string",
        "description": "The issue's UUID or its shortcode such as GET-005, in any case.",
        "examples": ["GET-005"],
    }

    def get_serializer_class(self):
        # OPTIONS describes the POST body through a cloned request with method POST.
        if self.action == "create" or (self.action == "metadata" and self.request.method == "POST"):
            return IssueCreateSerializer
        if self.action == "partial_update":
            return IssueUpdateSerializer
        if self.action == "list":
            return IssueSerializer
        return IssueDetailSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action != "list":
            queryset = queryset.prefetch_related("conversations")
        return queryset

    def get_object(self):
        # List filters do not apply to a single issue, so filter_queryset is skipped.
        condition = issue_ref_condition(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        if condition is None:
            raise Http404
        issue = get_object_or_404(self.get_queryset(), **condition)
        self.check_object_permissions(self.request, issue)
        return issue

    def perform_create(self, validated_data):
        issue = services.issue_create(**issue_create_kwargs(validated_data, self.request.user))
        # The service returns the saved row, so only the links are loaded. A
        # re-fetch through get_queryset() cost one more query per write.
        prefetch_related_objects([issue], "conversations")
        return issue

    def perform_update(self, instance, validated_data):
        issue = services.issue_update(issue=instance, **issue_update_kwargs(validated_data, self.request.user))
        # The service re-reads the row under its lock, so only the links are loaded.
        prefetch_related_objects([issue], "conversations")
        return issue
