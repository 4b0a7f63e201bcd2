"""What helps a reader find their way: per clause, its amendments, comments and the reader's votes;
per draft on the home page, its current round, last change and size. Each in a fixed number of
queries, whatever the number of clauses or drafts."""

from django.db.models import Case, Count, DateTimeField, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest

from .. import rules
from ..models import (
    OUT_OF_THE_TEXT,
    Amendment,
    AmendmentStatus,
    Clause,
    ClauseStatus,
    Comment,
    Draft,
    Phase,
    Round,
    Vote,
)
from .results import voice


def _count(queryset, column: str):
    """A correlated count of ``queryset``'s rows per ``column`` = the outer row, 0 when none."""
    counted = queryset.filter(**{column: OuterRef("pk")}).order_by().values(column).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def clause_summaries(user, draft: Draft, round_: Round | None, standing: str) -> list[Clause]:
    """The clauses of the draft's text (not those that left it) in reading order, each with ``amendment_count``, ``open_amendments``
    (submitted, awaiting decision) and ``comment_count``; while ``round_`` is voting and the reader is
    a participant, also ``my_vote`` (on a proposed clause) and ``my_amendment_votes``. Two queries."""
    clauses = list(
        Clause.objects.filter(draft=draft)
        .exclude(status__in=OUT_OF_THE_TEXT)
        .annotate(
            amendment_count=_count(Amendment.objects.all(), "clause"),
            open_amendments=_count(Amendment.objects.filter(status=AmendmentStatus.SUBMITTED), "clause"),
            comment_count=_count(Comment.objects.all(), "clause"),
        )
        .only("id", "draft_id", "number", "number_suffix", "preambular", "title", "status")
    )
    voting = round_ is not None and round_.phase == Phase.VOTING and standing == rules.PARTICIPANT
    mine: dict[int, str] = {}
    amendment_votes: dict[int, int] = {}
    if voting and user.is_authenticated:
        votes = Vote.objects.filter(voice(user, round_), round_id=round_.pk).filter(
            Q(clause__draft=draft) | Q(amendment__clause__draft=draft)
        )
        for clause_id, amended_clause_id, choice in votes.values_list("clause_id", "amendment__clause_id", "choice"):
            if clause_id is not None:
                mine[clause_id] = choice
            else:
                amendment_votes[amended_clause_id] = amendment_votes.get(amended_clause_id, 0) + 1
    for clause in clauses:
        clause.voting = voting
        clause.votable = voting and clause.status == ClauseStatus.PROPOSED
        clause.my_vote = mine.get(clause.id)
        clause.my_amendment_votes = amendment_votes.get(clause.id, 0)
    return clauses


def _latest(queryset, column: str, field: str):
    latest = queryset.filter(**{column: OuterRef("pk")}).order_by(f"-{field}").values(field)[:1]
    return Subquery(latest, output_field=DateTimeField())


def drafts_for_home(drafts):
    """The home page's drafts, each with its owner, ``clause_count``, ``last_change`` (the latest of the
    draft's own change, a clause's change, an amendment or a comment) and its current round's
    ``round_title`` and ``round_phase`` (as ``current_round`` picks it): one query for the page."""
    current = (
        Round.objects.filter(draft=OuterRef("pk"))
        .exclude(phase=Phase.SCHEDULED)
        # open or voting first, else the latest closed: ``selectors.current_round``'s order
        .order_by(Case(When(phase__in=(Phase.OPEN, Phase.VOTING), then=0), default=1), "-closed_at", "-id")
    )
    return drafts.select_related("created_by").annotate(
        clause_count=_count(Clause.objects.all(), "draft"),
        round_title=Subquery(current.values("title")[:1]),
        round_phase=Subquery(current.values("phase")[:1]),
        last_change=Greatest(
            F("updated_at"),
            Coalesce(_latest(Clause.objects.all(), "draft", "updated_at"), F("updated_at")),
            Coalesce(_latest(Amendment.objects.all(), "clause__draft", "created_at"), F("updated_at")),
            Coalesce(_latest(Comment.objects.all(), "clause__draft", "created_at"), F("updated_at")),
        ),
    )
