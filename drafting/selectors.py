"""Reads that join or filter by visibility; each returns querysets ready to render."""

from django.db.models import Exists, OuterRef, Prefetch, Q

from codeofconduct.errors import NotFound

from .models import Clause, Draft, DraftMembership, Section, Visibility
from .permissions import can_view, standing


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
