from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from issues.dedup.models import IssueApiSource
from issues.dedup.serializers import IssueMaybeResponseSerializer
from issues.dedup.services import issue_create_or_match
from issues.serializers import IssueCreateSerializer, issue_create_kwargs

MAYBE_DESCRIPTION = (
    "Takes the body of POST /issues and rejects the same bodies with the same errors. "
    "It compares the proposed issue with the product's pending, in_progress and icebox issues. "
    "On a match it links the request's conversation_ids to that issue, changes nothing else and returns 200. "
    "Otherwise it creates the issue as POST /issues does and returns 201. "
    "A Claude model compares when the server has an Anthropic key, matching paraphrases and translations; "
    "otherwise, or when the model fails, a local text matcher that does not match translations decides."
)


class DeduplicatingCreateMixin:
    """Adds POST {prefix}/maybe to the issues viewset, beside its list route."""

    @extend_schema(
        summary="Create an issue unless an open one already describes the problem",
        description=MAYBE_DESCRIPTION,
        request=IssueCreateSerializer,
        responses={
            200: OpenApiResponse(
                IssueMaybeResponseSerializer, description="An open issue matched; matched_existing is true."
            ),
            201: OpenApiResponse(
                IssueMaybeResponseSerializer, description="No open issue matched; the issue was created."
            ),
        },
    )
    @action(detail=False, methods=["post"], url_path="maybe", url_name="maybe")
    def maybe(self, request, *args, **kwargs):
        serializer = IssueCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        create_kwargs = issue_create_kwargs(serializer.validated_data, request.user)

        issue, source = issue_create_or_match(api_key=request.user.api_key, request_body=request.data, **create_kwargs)

        matched = source.outcome == IssueApiSource.Outcome.MATCHED
        issue = self.get_queryset().get(pk=issue.pk)
        body = {
            "data": self.get_output_serializer(issue).data,
            "matched_existing": matched,
            "api_source_id": str(source.pk),
        }
        return Response(body, status=status.HTTP_200_OK if matched else status.HTTP_201_CREATED)
