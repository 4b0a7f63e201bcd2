"""Reads that join or filter by visibility; each returns querysets ready to render."""

from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, When

from codeofconduct.errors import NotFound

from .models import (
    Amendment,
    Clause,
    Comment,
    Draft,
    DraftMembership,
    Phase,
    Round,
    Section,
    Visibility,
    Vote,
    VoteChoice,
)
from .permissions import can_moderate, can_view, standing


def drafts_visible_to(user):
    drafts = Draft.objects.all()
    if user.is_authenticated and user.is_superuser:
        return drafts
    if not user.is_authenticated:
        return drafts.filter(visibility=Visibility.PUBLIC)
    member = DraftMembership.objects.filter(draft=OuterRef("pk"), user=user)
    return drafts.filter(Q(visibility=Visibility.PUBLIC) | Exists(member))


def draft_for(user, slug: str) -> tuple[Draft, str]:
    """The draft and the person's standing in it; NotFound when it does not exist for them."""
    draft = Draft.objects.filter(slug=slug).first()
    if draft is None:
        raise NotFound("No such draft.")
    standing_ = standing(user, draft)
    if not can_view(standing_, draft):
        raise NotFound("No such draft.")
    return draft, standing_


def draft_with_text(draft: Draft) -> Draft:
    """The draft with its sections and their clauses (proposers too) loaded in two queries."""
    clauses = Clause.objects.select_related("proposer", "draft").order_by("number")
    sections = Section.objects.filter(draft=draft).prefetch_related(Prefetch("clauses", queryset=clauses))
    draft.ordered_sections = list(sections)
    return draft


def clause_for(user, clause_id: int, *, for_update: bool = False) -> tuple[Clause, str]:
    """The clause and the person's standing in its draft; NotFound when they may not see it."""
    clauses = Clause.objects.select_related("draft", "section", "proposer")
    if for_update:
        clauses = clauses.select_for_update(of=("self",))
    clause = clauses.filter(pk=clause_id).first()
    if clause is None:
        raise NotFound("No such clause.")
    standing_ = standing(user, clause.draft)
    if not can_view(standing_, clause.draft):
        raise NotFound("No such clause.")
    return clause, standing_


def clause_history(clause: Clause):
    """Every version of the clause, oldest first, with who changed it."""
    return clause.history.select_related("history_user").order_by("version", "history_id")


def clause_version(clause: Clause, version: int):
    record = clause.history.filter(version=version).order_by("-history_id").first()
    if record is None:
        raise NotFound(f"Clause {clause.number} has no version {version}.", current_version=clause.version)
    return record


def draft_members(draft: Draft):
    return DraftMembership.objects.filter(draft=draft).select_related("user")


def active_round(draft: Draft, *, for_update: bool = False):
    """The draft's open or voting round, or None. With ``for_update``, its row stays locked."""
    rounds = Round.objects.filter(draft=draft, phase__in=(Phase.OPEN, Phase.VOTING))
    if for_update:
        rounds = rounds.select_for_update()
    return rounds.first()


def phase_now(draft: Draft, active) -> str:
    """The phase to report when an action needs another: the active round's, else the latest round's."""
    if active is not None:
        return active.phase
    latest = current_round(draft)
    return latest.phase if latest else "none"


def current_round(draft: Draft):
    """The round a reader cares about now: the open or voting one, else the most recently closed."""
    rounds = Round.objects.filter(draft=draft).exclude(phase=Phase.SCHEDULED)
    return rounds.order_by(
        Case(When(phase__in=(Phase.OPEN, Phase.VOTING), then=0), default=1), "-closed_at", "-id"
    ).first()


def round_for(user, round_id: int, *, for_update: bool = False) -> tuple[Round, str]:
    rounds = Round.objects.select_related("draft")
    if for_update:
        rounds = rounds.select_for_update(of=("self",))
    round_ = rounds.filter(pk=round_id).first()
    if round_ is None:
        raise NotFound("No such round.")
    standing_ = standing(user, round_.draft)
    if not can_view(standing_, round_.draft):
        raise NotFound("No such round.")
    return round_, standing_


def amendment_for(user, amendment_id: int, *, for_update: bool = False) -> tuple[Amendment, str]:
    amendments = Amendment.objects.select_related("clause__draft", "clause__section", "round", "author", "organization")
    if for_update:
        amendments = amendments.select_for_update(of=("self",))
    amendment = amendments.filter(pk=amendment_id).first()
    if amendment is None:
        raise NotFound("No such amendment.")
    standing_ = standing(user, amendment.clause.draft)
    if not can_view(standing_, amendment.clause.draft):
        raise NotFound("No such amendment.")
    return amendment, standing_


def amendments_of(clause: Clause):
    return clause.amendments.select_related("author", "organization", "round").order_by("created_at", "id")


def comments_on(*, clause: Clause | None = None, amendment: Amendment | None = None):
    comments = Comment.objects.select_related("author", "hidden_by")
    if clause is not None:
        return comments.filter(clause=clause)
    return comments.filter(amendment=amendment)


def comment_for(user, comment_id: int, *, for_update: bool = False) -> tuple[Comment, str]:
    comments = Comment.objects.select_related("clause__draft", "amendment__clause__draft", "author")
    if for_update:
        comments = comments.select_for_update(of=("self",))
    comment = comments.filter(pk=comment_id).first()
    if comment is None:
        raise NotFound("No such comment.")
    draft = comment.clause.draft if comment.clause_id else comment.amendment.clause.draft
    standing_ = standing(user, draft)
    if not can_view(standing_, draft):
        raise NotFound("No such comment.")
    return comment, standing_


def tallies(round_: Round, *, clauses=(), amendments=()) -> dict[tuple[str, int], dict]:
    """Yes / no / abstain per item, counted by the database: ``{("clause", id): {yes, no, abstain}}``."""
    counts = {
        "yes": Count("id", filter=Q(choice=VoteChoice.YES)),
        "no": Count("id", filter=Q(choice=VoteChoice.NO)),
        "abstain": Count("id", filter=Q(choice=VoteChoice.ABSTAIN)),
    }
    result = {}
    if clauses:
        rows = Vote.objects.filter(round=round_, clause__in=clauses).values("clause_id").annotate(**counts)
        result.update({("clause", r.pop("clause_id")): r for r in rows})
    if amendments:
        rows = Vote.objects.filter(round=round_, amendment__in=amendments).values("amendment_id").annotate(**counts)
        result.update({("amendment", r.pop("amendment_id")): r for r in rows})
    return result


def tallies_visible(round_: Round | None, standing_: str) -> bool:
    """Tallies show to moderators always, to everyone else once the round closes or if not hidden."""
    if round_ is None:
        return False
    return round_.phase == Phase.CLOSED or not round_.hide_tallies_until_close or can_moderate(standing_)


def my_votes(user, round_: Round | None, *, clauses=(), amendments=()) -> dict[tuple[str, int], str]:
    if round_ is None or not user.is_authenticated:
        return {}
    votes = Vote.objects.filter(round=round_, voter=user).filter(Q(clause__in=clauses) | Q(amendment__in=amendments))
    return {
        ("clause", v.clause_id) if v.clause_id else ("amendment", v.amendment_id): v.choice
        for v in votes.only("clause_id", "amendment_id", "choice")
    }
