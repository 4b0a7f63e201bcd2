"""What closing a round now would do (API.md "Added for the next capabilities": close-preview)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import rules, selectors
from ..selectors.preview import round_close_preview
from .results import ResultSerializer
from .snapshots import CompareRowSerializer, SnapshotSerializer

# What the preview's rows carry for the page only.
FOR_THE_PAGE = {"clause", "merge_redline"}


class PreviewItemSerializer(ResultSerializer):
    merged_text = serializers.CharField(
        allow_null=True,
        help_text="An accepted amendment that merges: its clause's text once merged, after the amendments "
        "submitted before it (null when it deletes the clause, and for every other item).",
    )
    conflict = serializers.CharField(
        allow_null=True, help_text="An accepted amendment that cannot be merged: why. Null otherwise."
    )


class PreviewSummarySerializer(serializers.Serializer):
    accepted = serializers.IntegerField()
    rejected = serializers.IntegerField()
    no_quorum = serializers.IntegerField()
    superseded = serializers.IntegerField(help_text="Rival amendments another of their set supersedes.")
    carried_over = serializers.IntegerField(help_text="Rival amendments carried to the next round's ballot.")
    merged = serializers.IntegerField(help_text="Accepted amendments that change their clause's text (or delete it).")
    conflicted = serializers.IntegerField(help_text="Accepted amendments that would be marked conflicted.")


class PreviewRivalSetSerializer(serializers.Serializer):
    amendments = serializers.ListField(
        child=serializers.IntegerField(), help_text="The set's amendments, in the order they were submitted."
    )
    clause = serializers.IntegerField(help_text="The clause they all change.")
    choice = serializers.CharField(help_text="What the preview computes with: most_support, the default.")
    accepted = serializers.IntegerField(
        allow_null=True, help_text="The member most support accepts; null when none passes its vote."
    )


class ClosePreviewSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    items = PreviewItemSerializer(many=True, help_text="Every item on the ballot, in the order closing decides it.")
    summary = PreviewSummarySerializer()
    rivals = PreviewRivalSetSerializer(
        many=True,
        help_text="Each set of amendments changing the same or adjacent words of a clause: closing accepts at most "
        "one of each. Choose per set in the close's body (`rivals`); each member's row is in `items`.",
    )
    snapshot_label = serializers.CharField(help_text="The label of the snapshot closing would publish: “Rev.2”.")
    compared_with = SnapshotSerializer(allow_null=True, help_text="The draft's last snapshot; null before the first.")
    clauses = CompareRowSerializer(
        many=True,
        help_text="The snapshot closing would publish against `compared_with`, clause by clause; an added or "
        "removed clause's diff is its whole text.",
    )


class RoundClosePreviewView(APIView):
    @extend_schema(
        responses={
            200: ClosePreviewSerializer,
            409: OpenApiResponse(
                description="The round is not voting: there is nothing to close; or it hides its tallies until it "
                "closes, from its moderators too, and what closing would decide would tell them."
            ),
        },
        description="What closing the round now would do, worked out by the code that closes it; writes nothing. "
        "For the draft's moderators, while the round is voting.",
    )
    def get(self, request, round_id: int):
        round_, standing = selectors.round_for(request.user, round_id)
        preview = round_close_preview(round_, standing_=standing)
        if preview.tallies_hidden:
            rules.check("tallies_see", selectors.round_subject(round_, standing))
        return Response(
            {
                "round": round_.id,
                "items": [{k: v for k, v in row.items() if k not in FOR_THE_PAGE} for row in preview.items],
                "summary": preview.summary,
                "rivals": [
                    {
                        "amendments": r["amendments"],
                        "clause": r["clause"].id,
                        "choice": r["choice"],
                        "accepted": r["accepted"],
                    }
                    for r in preview.rivals
                ],
                "snapshot_label": preview.snapshot_label,
                "compared_with": SnapshotSerializer(preview.compared_with).data if preview.compared_with else None,
                "clauses": preview.clauses,
            }
        )
