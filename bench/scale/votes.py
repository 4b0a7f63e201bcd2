"""A benchmark round's votes: every voter's vote on every item of its ballot, streamed with
PostgreSQL's COPY, and their history copied from them inside the database."""

import random
from collections.abc import Iterator

from django.db import connection
from django.utils import timezone

from drafting.models import Round, Vote, VoteChoice

from .people import Voter

# (yes, no) shares of an item's votes, the rest abstain: some items pass, some fail, some are close.
LEANINGS = [(0.75, 0.15), (0.6, 0.3), (0.45, 0.45), (0.3, 0.6), (0.2, 0.7)]

VOTE_FIELDS = [
    "round_id",
    "voter_id",
    "clause_id",
    "amendment_id",
    "choice",
    "stakeholder_group",
    "organization_id",
    "for_delegation",
    "created_at",
    "updated_at",
]


def write_votes(round_: Round, ballot: list[tuple[str, int]], people: list[Voter], rng: random.Random) -> int:
    """Every voter's vote on every item of the ballot, each item leaning its own way.

    The rows are streamed with COPY (a million at 10x in under a minute, holding none of them in
    memory).
    """

    def rows() -> Iterator[tuple]:
        for kind, item_id in ballot:
            yes, no = rng.choice(LEANINGS)
            clause_id, amendment_id = (item_id, None) if kind == "clause" else (None, item_id)
            now = timezone.now()
            for voter in people:
                draw = rng.random()
                choice = VoteChoice.YES if draw < yes else VoteChoice.NO if draw < yes + no else VoteChoice.ABSTAIN
                yield (
                    round_.id,
                    voter.user.id,
                    clause_id,
                    amendment_id,
                    choice.value,
                    voter.stakeholder_group,
                    voter.organization_id,
                    False,
                    now,
                    now,
                )

    quote = connection.ops.quote_name
    columns = ", ".join(quote(Vote._meta.get_field(name).column) for name in VOTE_FIELDS)
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {quote(Vote._meta.db_table)} ({columns}) FROM STDIN") as out,
    ):
        for row in rows():
            out.write_row(row)
    return len(ballot) * len(people)


def copy_vote_history(round_: Round) -> None:
    """A "+" history row for every vote of the round, made by the database from the votes
    themselves: each names its voter and is dated when the vote was cast."""
    quote = connection.ops.quote_name
    # Each history column and what fills it: the vote's own columns, then when, why, how and who.
    sources = {field.column: quote(field.column) for field in Vote.history.model.tracked_fields}
    sources |= {
        "history_date": quote("created_at"),
        "history_change_reason": "%s",
        "history_type": "%s",
        "history_user_id": quote("voter_id"),
    }
    history_table, vote_table = quote(Vote.history.model._meta.db_table), quote(Vote._meta.db_table)
    sql = (
        f"INSERT INTO {history_table} ({', '.join(map(quote, sources))}) "  # noqa: S608 - names from the models
        f"SELECT {', '.join(sources.values())} FROM {vote_table} WHERE {quote('round_id')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ["Vote cast", "+", round_.id])
