"""Votes: during the voting phase, by verified participants; one per item and round for each person,
or, in a round counted per delegation, for each organization (any of its voting members casts or
changes it)."""

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from codeofconduct.errors import InvalidInput
from live import services as live_pages
from live.models import Kind

from .. import rules
from ..models import Counting, Vote, VoteChoice
from ..selectors import amendment_subject, as_voter, clause_subject, phase_now, reading, who_they_are
from ..selectors.results import voice
from .common import choose


@transaction.atomic
def vote_cast(*, by: User, choice: str, clause_id: int | None = None, amendment_id: int | None = None) -> Vote:
    """Cast or change a vote on a proposed clause or a submitted amendment.

    Holds a share of the round's row lock from the phase check to the write, so a vote either
    lands before the round closes (and is counted) or is refused after; it is never written after
    the tally. Closing takes the whole lock, which waits for the votes holding a share.
    """
    choose(choice, VoteChoice, field="choice")
    if (clause_id is None) == (amendment_id is None):
        raise InvalidInput(_("Vote on a clause or on an amendment."), field="item")
    kind, item_id = ("clause", clause_id) if clause_id is not None else ("amendment", amendment_id)
    # The reads are single statements (selectors.reading): a vote is the platform's busiest write.
    item, draft, standing_ = reading.vote_item(by, kind, item_id)
    subject_of = clause_subject if kind == "clause" else amendment_subject
    round_, membership = reading.voting_round(draft, by)
    subject = as_voter(
        by, subject_of(by, item, standing_, phase=phase_now(draft, round_)), round_, membership=membership
    )
    rules.check("vote", who_they_are(by, subject))

    # Votes of others go on side by side (the round is only share-locked); two votes of the same
    # voice on one item (one person's, or one delegation's members') meet at the vote's unique
    # constraint, where the later one changes the earlier.
    written = _write(round_, by, kind, item_id, choice, membership)
    if written is not None:
        return written
    # Unchanged: the vote as it stands, held until the transaction ends.
    same = Vote.objects.select_for_update(of=("self",)).filter(
        voice(by, round_, organization_id=membership.organization_id), round=round_, **{f"{kind}_id": item_id}
    )
    return same.get()


def _write(round_, by: User, kind: str, item_id: int, choice: str, membership) -> Vote | None:
    """Cast or change the vote, with its history row, in one statement; None when it already was
    ``choice`` (nothing written). The history row is what ``save_with_history`` would write."""
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    for_delegation = round_.counting == Counting.PER_DELEGATION
    values = [round_.pk, by.pk, item_id, choice, membership.stakeholder_group, membership.organization_id]
    with connection.cursor() as cursor:
        params = [*values, for_delegation, stamp, stamp, stamp, by.pk, round_.draft_id]
        cursor.execute(_CAST_WITH_HISTORY[kind, for_delegation], params)
        row = cursor.fetchone()
    if row is None:
        return None
    vote_id = row[0]
    return Vote(
        id=vote_id,
        round_id=round_.pk,
        voter_id=by.pk,
        choice=choice,
        stakeholder_group=membership.stakeholder_group,
        organization_id=membership.organization_id,
        for_delegation=for_delegation,
        updated_at=now,
        **{f"{kind}_id": item_id},
    )


def _cast_with_history_sql(kind: str, for_delegation: bool) -> str:
    """One statement (a data-modifying WITH): insert the vote, or change it when the same voice (the
    person, or their delegation ``for_delegation``) voted otherwise before, copy the row written
    into the history, dated, explained and signed by whoever cast it, and tell the draft's live
    pages (``live.services.told_sql``) when it commits. Nothing is written, no one is told, and no
    row comes back, when the vote already was that choice."""
    column = f"{kind}_id"
    columns = ", ".join(field.column for field in Vote.history.model.tracked_fields)
    # The voice's unique constraint (``Vote.Meta``): the person's in the round, or the organization's.
    voice = "organization_id" if for_delegation else "voter_id"
    same_voice = f"{column} IS NOT NULL AND {'' if for_delegation else 'NOT '}for_delegation"
    # A delegation's vote is whichever member cast it last; a person's is theirs, whoever they speak for now.
    moved = "voter_id = excluded.voter_id" if for_delegation else "organization_id = excluded.organization_id"
    return f"""
        WITH written AS (
            INSERT INTO drafting_vote
                (round_id, voter_id, {column}, choice, stakeholder_group, organization_id, for_delegation,
                 created_at, updated_at)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)
            ON CONFLICT (round_id, {voice}, {column}) WHERE {same_voice}
            DO UPDATE SET choice = excluded.choice, stakeholder_group = excluded.stakeholder_group,
                {moved}, updated_at = excluded.updated_at
            WHERE drafting_vote.choice <> excluded.choice
            RETURNING *
        )
        INSERT INTO {Vote.history.model._meta.db_table}
            ({columns}, history_date, history_change_reason, history_type, history_user_id)
        SELECT {columns}, %s,
            CASE WHEN created_at = updated_at THEN 'Vote cast' ELSE 'Vote changed' END,
            CASE WHEN created_at = updated_at THEN '+' ELSE '~' END,
            %s
        FROM written
        RETURNING id, {live_pages.told_sql(Kind.VOTES)}
    """  # noqa: S608 - names from the models and a column name of this module's


_CAST_WITH_HISTORY = {
    (kind, for_delegation): _cast_with_history_sql(kind, for_delegation)
    for kind in ("clause", "amendment")
    for for_delegation in (False, True)
}
