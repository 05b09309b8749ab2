from django.db.models import Prefetch, prefetch_related_objects
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view

from getresolved.api.filters import MAX_FILTER_VALUES
from getresolved.api.viewsets import CreateModelMixin, ListModelMixin, RetrieveModelMixin, WorkspaceViewSet
from issues.models import Issue
from releases import services
from releases.filtersets import ReleaseFilterSet
from releases.models import Release
from releases.serializers import ReleaseCreateSerializer, ReleaseDetailSerializer, ReleaseSerializer


def _issues_in_number_order() -> Prefetch:
    return Prefetch("issues", queryset=Issue.objects.order_by("number"))


@extend_schema_view(
    list=extend_schema(
        summary="List releases, newest first",
        parameters=[
            OpenApiParameter(
                "product_id",
                type={"type": "array", "items": {"type": "string", "format": "uuid"}},
                location=OpenApiParameter.QUERY,
                style="form",
                explode=False,
                description=(
                    f"Product ids of this workspace, comma-separated, at most {MAX_FILTER_VALUES}. Releases of any "
                    "of them are listed. An id that is malformed or names no product of the workspace is a "
                    "validation_error. An empty value is ignored."
                ),
            )
        ],
    ),
    retrieve=extend_schema(summary="Get a release with its issues"),
    create=extend_schema(
        summary="Create a release and move its issues to released",
        description=(
            "Every issue in `issue_ids` must be a done issue of the product. If any is not, nothing is "
            "written and `fields.issue_ids` names each offending id with the reason."
        ),
    ),
)
class ReleaseViewSet(ListModelMixin, RetrieveModelMixin, CreateModelMixin, WorkspaceViewSet):
    queryset = Release.objects.order_by("-created_at", "-id")
    # "id" rather than the default "pk", so the OpenAPI path parameter, which
    # drf-spectacular names "id", gets the UUID schema from `lookup_schema`.
    lookup_field = "id"
    filterset_class = ReleaseFilterSet
    output_serializer_class = ReleaseDetailSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(_issues_in_number_order())
        return queryset

    def get_serializer_class(self):
        if self.action == "create":
            return ReleaseCreateSerializer
        if self.action == "retrieve":
            return ReleaseDetailSerializer
        return ReleaseSerializer

    def perform_create(self, validated_data):
        release = services.release_create(
            workspace=self.workspace,
            product=validated_data["product_id"],
            title=validated_data["title"],
            description=validated_data.get("description"),
            version=validated_data.get("version"),
            issues_refs=validated_data.get("issue_ids", ()),
        )
        prefetch_related_objects([release], _issues_in_number_order())
        return release
