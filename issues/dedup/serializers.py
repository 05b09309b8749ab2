from rest_framework import serializers

from issues.serializers import IssueDetailSerializer


class IssueMaybeResponseSerializer(serializers.Serializer):
    """The body of POST /issues/maybe: the issue, whether it existed, and the provenance id."""

    # The body already has its own envelope; the schema must not wrap it in another {data}.
    is_envelope = True

    data = IssueDetailSerializer()
    matched_existing = serializers.BooleanField(
        help_text="True when an open issue already described the problem and is returned instead of a new one."
    )
    api_source_id = serializers.UUIDField(help_text="Id of the provenance record written for this call.")
