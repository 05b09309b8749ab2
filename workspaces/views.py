from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from getresolved.api.viewsets import (
    ApiView,
    CreateModelMixin,
    ListModelMixin,
    PartialUpdateModelMixin,
    RetrieveModelMixin,
    WorkspaceViewSet,
    envelope,
)
from workspaces import services
from workspaces.models import Member, Product
from workspaces.serializers import (
    MemberSerializer,
    MeSerializer,
    ProductCreateSerializer,
    ProductSerializer,
    ProductUpdateSerializer,
)


class MeView(ApiView):
    @extend_schema(responses=MeSerializer, summary="Identify the calling API key")
    def get(self, request):
        client = request.user
        data = {
            "workspace_id": client.workspace.pk,
            "api_key_id": client.api_key.pk,
            "member": client.member,
        }
        return Response(envelope(MeSerializer(data).data))


class MemberViewSet(ListModelMixin, WorkspaceViewSet):
    queryset = Member.objects.order_by("created_at", "id")
    serializer_class = MemberSerializer


class ProductViewSet(ListModelMixin, RetrieveModelMixin, CreateModelMixin, PartialUpdateModelMixin, WorkspaceViewSet):
    queryset = Product.objects.order_by("created_at", "id")
    output_serializer_class = ProductSerializer

    def get_serializer_class(self):
        if self.action == "create":
            return ProductCreateSerializer
        if self.action == "partial_update":
            return ProductUpdateSerializer
        return ProductSerializer

    def perform_create(self, validated_data):
        return services.product_create(workspace=self.workspace, **validated_data)

    def perform_update(self, instance, validated_data):
        return services.product_update(product=instance, **validated_data)
