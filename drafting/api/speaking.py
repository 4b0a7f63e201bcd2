"""The ``speaking_for`` object beside every person an API answer names (API.md).

What a person spoke for is taken as of the act named: a list view asks for its whole page at once
(``speaking_context``) and its serializer reads the answer from the context; a single object
without it asks for itself (one query).
"""

from rest_framework import serializers

from accounts.models import StakeholderGroup
from accounts.selectors import speaking_for_at, speaking_for_data

from ..naming import Named, Naming, changed_by, naming_for, reader_of


class SpeakingForSerializer(serializers.Serializer):
    organization = serializers.CharField(
        allow_null=True, help_text="The organization's name; null when none, or under the Chatham House rule."
    )
    stakeholder_group = serializers.ChoiceField(choices=StakeholderGroup.choices, allow_null=True)
    verified = serializers.BooleanField(
        help_text="Whether an administrator has verified the membership; until then it is only a claim."
    )
    chair = serializers.BooleanField(
        help_text="The act is the Chair's (a moderator acting as the Chair), which speaks for no delegation."
    )


def speaking_as_field() -> serializers.ChoiceField:
    """What a proposal, amendment or comment speaks for, as its author chooses: a moderator's is the
    Chair's unless they send ``delegation``; only moderators may send ``chair``."""
    return serializers.ChoiceField(
        choices=[("chair", "The Chair"), ("delegation", "The author's own delegation")],
        required=False,
        help_text="Moderators act as the Chair by default; `delegation` makes this act their delegation's. "
        "Others speak for their delegation only (`chair`: 403).",
    )


def speaking_context(pairs) -> dict:
    """Serializer context answering ``speaking_for`` for every ``(user id, when)`` of a page, in one query."""
    return {"speaking_for": speaking_for_at(pairs)}


def speaking_for_in(context, user_id: int | None, when, *, named: bool = True) -> dict:
    """The ``speaking_for`` object of the person ``user_id`` in their act at ``when``."""
    found = (context or {}).get("speaking_for")
    if found is None:
        found = speaking_for_at([(user_id, when)])
    return speaking_for_data(found.get((user_id, when)), named=named)


def named_in(context, draft_of, user_id: int | None, username: str | None, when, **act) -> Named:
    """How the person behind one act is named to this serializer's reader (``drafting.naming``);
    ``draft_of()`` gives the act's draft id when the context carries no ``Naming`` yet, and
    ``speaking_context`` answers what each person spoke for."""
    naming = naming_for(context, reader_of(context), draft_of)
    found = (context or {}).get("speaking_for")
    if found is not None and user_id is not None:
        naming.speaking.setdefault((user_id, when), found.get((user_id, when)))
    if "recorded" in act:  # the organization the act recorded (an amendment's)
        act["spoke"] = naming.recorded(user_id, when, act.pop("recorded"))
    return naming.person(user_id, username, when, **act)


def version_named_in(context, draft_of, record) -> Named:
    """Who made the version a clause's history row records, to this serializer's reader."""
    naming = naming_for(context, reader_of(context), draft_of)
    found = (context or {}).get("speaking_for")
    if found is not None and record.history_user_id is not None:
        pair = (record.history_user_id, record.history_date)
        naming.speaking.setdefault(pair, found.get(pair))
    return changed_by(naming, record)


def named_as_published(
    context, round_, user_id: int | None, username: str | None, when, *, as_chair: bool = False
) -> Named:
    """How the person behind an act of ``round_`` is named where the round publishes it (its
    results, its dispositions): ``Naming.published``, one per round in the context."""
    context = context if context is not None else {}
    namings = context.setdefault("published_naming", {})
    naming = namings.get(round_.id)
    if naming is None:
        naming = namings[round_.id] = Naming.published(round_.draft_id, known=[round_])
    found = context.get("speaking_for")
    if found is not None and user_id is not None:
        naming.speaking.setdefault((user_id, when), found.get((user_id, when)))
    return naming.person(user_id, username, when, round_id=round_.id, as_chair=as_chair)
