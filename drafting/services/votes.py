"""Votes: one per voter, item and round, during the voting phase, by verified participants."""

from dataclasses import replace

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from accounts.selectors import is_verified
from codeofconduct.errors import InvalidInput

from .. import rules
from ..models import Vote, VoteChoice
from ..selectors import amendment_subject, clause_subject, phase_now, reading, who_they_are
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
        raise InvalidInput("Vote on a clause or on an amendment.", field="item")
    kind, item_id = ("clause", clause_id) if clause_id is not None else ("amendment", amendment_id)
    # The reads are single statements (selectors.reading): a vote is the platform's busiest write.
    item, draft, standing_ = reading.vote_item(by, kind, item_id)
    subject_of = clause_subject if kind == "clause" else amendment_subject
    round_, membership = reading.voting_round(draft, by)
    subject = replace(
        subject_of(by, item, standing_, phase=phase_now(draft, round_)),
        verified=membership is not None or is_verified(by),
        eligible=membership is not None,
        context={"round": round_.title, "eligible_groups": round_.eligible_groups} if round_ else {},
    )
    rules.check("vote", who_they_are(by, subject))

    # Votes of others go on side by side (the round is only share-locked); the same person's two
    # votes on one item meet at the vote's unique constraint, where the later one changes the earlier.
    written = _write(round_, by, kind, item_id, choice, membership)
    return written if written is not None else reading.own_vote(round_, by, kind, item_id)


def _write(round_, by: User, kind: str, item_id: int, choice: str, membership) -> Vote | None:
    """Cast or change the vote, with its history row, in two statements; None when it already was
    ``choice`` (nothing written). The history row is what ``save_with_history`` would write."""
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    values = [round_.pk, by.pk, item_id, choice, membership.stakeholder_group, membership.organization_id, stamp, stamp]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # both rows in one statement
            cursor.execute(_CAST_WITH_HISTORY[kind], [*values, stamp, by.pk])
            row = cursor.fetchone()
            if row is None:
                return None
            vote_id = row[0]
        else:
            cursor.execute(_CAST[kind], values)
            row = cursor.fetchone()
            if row is None:
                return None
            vote_id, cast = row[0], bool(row[1])
            reason, kind_of_change = ("Vote cast", "+") if cast else ("Vote changed", "~")
            cursor.execute(_HISTORY, [stamp, reason, kind_of_change, by.pk, vote_id])
    return Vote(
        id=vote_id,
        round_id=round_.pk,
        voter_id=by.pk,
        choice=choice,
        stakeholder_group=membership.stakeholder_group,
        organization_id=membership.organization_id,
        updated_at=now,
        **{f"{kind}_id": item_id},
    )


def _cast_sql(kind: str) -> str:
    """Insert the vote, or change it when the person voted otherwise before (SQLite and PostgreSQL
    alike); the row comes back only when written, with whether it was new."""
    column = f"{kind}_id"
    return f"""
        INSERT INTO drafting_vote
            (round_id, voter_id, {column}, choice, stakeholder_group, organization_id, created_at, updated_at)
        VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
        ON CONFLICT (round_id, voter_id, {column}) WHERE {column} IS NOT NULL
        DO UPDATE SET choice = excluded.choice, stakeholder_group = excluded.stakeholder_group,
            organization_id = excluded.organization_id, updated_at = excluded.updated_at
        WHERE drafting_vote.choice <> excluded.choice
        RETURNING id, created_at = updated_at
    """  # noqa: S608 - a column name of this module's


def _history_sql() -> str:
    """A history row copied from the vote as it now is, dated, explained and signed."""
    columns = [field.column for field in Vote.history.model.tracked_fields]
    return f"""
        INSERT INTO {Vote.history.model._meta.db_table}
            ({", ".join(columns)}, history_date, history_change_reason, history_type, history_user_id)
        SELECT {", ".join(columns)}, %s, %s, %s, %s FROM {Vote._meta.db_table} WHERE id = %s
    """  # noqa: S608 - names from the models


def _cast_with_history_sql(kind: str) -> str:
    """PostgreSQL: the upsert and its history row as one statement (a data-modifying WITH)."""
    columns = ", ".join(field.column for field in Vote.history.model.tracked_fields)
    upsert = _cast_sql(kind).replace("RETURNING id, created_at = updated_at", "RETURNING *")
    return f"""
        WITH written AS ({upsert})
        INSERT INTO {Vote.history.model._meta.db_table}
            ({columns}, history_date, history_change_reason, history_type, history_user_id)
        SELECT {columns}, %s,
            CASE WHEN created_at = updated_at THEN 'Vote cast' ELSE 'Vote changed' END,
            CASE WHEN created_at = updated_at THEN '+' ELSE '~' END,
            %s
        FROM written
        RETURNING id
    """  # noqa: S608 - names from the models


_CAST = {kind: _cast_sql(kind) for kind in ("clause", "amendment")}
_CAST_WITH_HISTORY = {kind: _cast_with_history_sql(kind) for kind in ("clause", "amendment")}
_HISTORY = _history_sql()
