"""Who has not voted yet, and the Chair's reminders (``selectors.turnout``, ``services.vote_remind``)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from codeofconduct.errors import InvalidInput

from .. import rules, selectors, services
from ..selectors.turnout import turnout
from .common import id_param, timestamps, validated


class DelegationTurnoutSerializer(serializers.Serializer):
    organization = serializers.DictField(help_text="{id, name}")
    stakeholder_group = serializers.CharField()
    voted = serializers.IntegerField(help_text="Items of the ballot the delegation has voted on.")
    not_voted = serializers.IntegerField(help_text="Items it has not voted on yet.")
    reminded_at = serializers.DateTimeField(allow_null=True)


class ItemTurnoutSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["clause", "amendment"])
    id = serializers.IntegerField()
    ref = serializers.CharField(help_text='The paragraph the item is on ("OP11").')
    delegations_voted = serializers.IntegerField()
    delegations_not_voted = serializers.IntegerField()
    not_voted = DelegationTurnoutSerializer(
        many=True,
        required=False,
        help_text="With ?clause= or ?amendment=: the delegations not voted on that item (not under the Chatham House rule).",
    )
    not_voted_by_group = serializers.DictField(
        child=serializers.IntegerField(), required=False, help_text="With ?clause= or ?amendment=: how many per group."
    )


class GroupTurnoutSerializer(serializers.Serializer):
    stakeholder_group = serializers.CharField()
    delegations = serializers.IntegerField()
    behind = serializers.IntegerField(help_text="Delegations that have not voted on every item.")
    reminded = serializers.IntegerField()


class TurnoutSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    named = serializers.BooleanField(
        help_text="False under the Chatham House rule: counts per group only, no row per delegation."
    )
    items = serializers.IntegerField(help_text="Items on the ballot (none unless the round is voting).")
    groups = GroupTurnoutSerializer(many=True)
    delegations = DelegationTurnoutSerializer(many=True, help_text="Those behind first; empty under Chatham House.")
    by_item = ItemTurnoutSerializer(many=True)


def delegation_data(delegation, items: int, times) -> dict:
    return {
        "organization": {"id": delegation.organization_id, "name": delegation.name},
        "stakeholder_group": delegation.stakeholder_group,
        "voted": delegation.voted,
        "not_voted": items - delegation.voted,
        "reminded_at": times.to_representation(delegation.reminded_at) if delegation.reminded_at else None,
    }


def turnout_data(seen) -> dict:
    times, total = timestamps(), len(seen.items)
    voices = len(seen.delegations)
    by_item = []
    for entry in seen.items:
        clause = entry.item if entry.kind == "clause" else entry.item.clause
        row = {
            "type": entry.kind,
            "id": entry.item.id,
            "ref": clause.ref,
            "delegations_voted": entry.voted,
            "delegations_not_voted": voices - entry.voted,
        }
        if entry.missing is not None:
            row["not_voted"] = [delegation_data(d, total, times) for d in entry.missing]
        if entry.missing_by_group is not None:
            row["not_voted_by_group"] = entry.missing_by_group
        by_item.append(row)
    return {
        "round": seen.round.id,
        "named": seen.named,
        "items": total,
        "groups": [vars(g) for g in seen.groups],
        "delegations": [delegation_data(d, total, times) for d in seen.delegations] if seen.named else [],
        "by_item": by_item,
    }


def asked_item(request) -> tuple[str, int] | None:
    clause = id_param(request, "clause", message=_("Give a clause id."))
    amendment = id_param(request, "amendment", message=_("Give an amendment id."))
    if clause is not None and amendment is not None:
        raise InvalidInput(_("Ask about a clause or an amendment, not both."), field="item")
    if clause is not None:
        return ("clause", clause)
    return ("amendment", amendment) if amendment is not None else None


class RoundTurnoutView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("clause", int, description="A proposed clause on the ballot: who has not voted on it."),
            OpenApiParameter("amendment", int, description="An amendment on the ballot: who has not voted on it."),
        ],
        responses={200: TurnoutSerializer, 403: OpenApiResponse(description="Only the draft's moderators see it.")},
    )
    def get(self, request, round_id: int):
        round_, standing = selectors.round_for(request.user, round_id)
        rules.check("round_console", rules.Subject(standing))
        return Response(turnout_data(turnout(round_, item=asked_item(request))))


class RemindSerializer(serializers.Serializer):
    organization = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="One delegation to remind; without it, every delegation that has not voted on every item and "
        "was not reminded in this round (the only choice under the Chatham House rule).",
    )


class ReminderSerializer(serializers.Serializer):
    reminded = serializers.IntegerField(help_text="Delegations reminded now.")
    members = serializers.IntegerField(help_text="People told, through their notifications and email preferences.")


class RoundRemindersView(APIView):
    @extend_schema(
        request=RemindSerializer,
        responses={
            201: ReminderSerializer,
            409: OpenApiResponse(
                description="The round is not voting, the delegation has voted on every item or was reminded in "
                "this round already, or nobody is left to remind."
            ),
        },
    )
    def post(self, request, round_id: int):
        data = validated(RemindSerializer, request.data)
        reminders = services.vote_remind(round_id=round_id, by=request.user, organization_id=data.get("organization"))
        return Response(
            {"reminded": len(reminders), "members": sum(r.members for r in reminders)}, status=status.HTTP_201_CREATED
        )
