"""The objects a person may see, each with their standing in its draft (NotFound when it is missing
or hidden from them), and the reads that come with them: a draft's text, a clause's versions, a
clause's amendments and comments, a draft's members, what the person follows, their export jobs."""

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils.translation import gettext as _

from codeofconduct.errors import NotFound
from notifications.models import Subscription

from .. import rules
from ..models import (
    OUT_OF_THE_TEXT,
    Amendment,
    Clause,
    Comment,
    Draft,
    DraftMembership,
    DraftVisit,
    ExportJob,
    Round,
    Section,
    SectionNumerals,
    Snapshot,
)


def no_such(what: str) -> str:
    """The refusal of something that is not there for the reader, a whole sentence per kind, as a
    translator needs it: "No such clause."."""
    sentences = {
        "draft": _("No such draft."),
        "clause": _("No such clause."),
        "round": _("No such round."),
        "amendment": _("No such amendment."),
        "comment": _("No such comment."),
        "snapshot": _("No such snapshot."),
        "request": _("No such request."),
    }
    return sentences.get(what) or _("No such %(what)s.") % {"what": what}


def _visible(user, obj, draft_of, what: str):
    """``(obj, the person's standing in its draft)``; NotFound if it is missing or hidden from them."""
    if obj is None:
        raise NotFound(no_such(what))
    draft = draft_of(obj)
    standing_ = rules.standing(user, draft)
    rules.check("view", rules.Subject(standing_, state=draft.visibility, label=what))
    return obj, standing_


def drafts_visible_to(user):
    return rules.viewable_drafts(user, Draft.objects.all())


def draft_for(user, slug: str, *, with_visit: bool = False) -> tuple[Draft, str]:
    """The draft and the person's standing in it; NotFound when it does not exist for them.

    ``with_visit`` reads, in the same statement, when the person last viewed it
    (``visit_last_viewed_at``, None for none), for ``services.visits.record_visit``.
    """
    drafts = Draft.objects.filter(slug=slug)
    if with_visit:
        visits = DraftVisit.objects.filter(draft=OuterRef("pk"), user_id=getattr(user, "pk", None))
        drafts = drafts.annotate(visit_last_viewed_at=Subquery(visits.values("last_viewed_at")[:1]))
    return _visible(user, drafts.first(), lambda d: d, "draft")


def draft_with_text(draft: Draft) -> Draft:
    """The draft with its sections and their clauses (proposers too) loaded in two queries.

    As the working text reads, each section's ``in_the_text`` are its clauses of the text, and
    ``draft.left_the_text`` lists in reading order the rejected and withdrawn ones, which left it and
    stay in the record under the number they had.
    """
    clauses = Clause.objects.select_related("proposer", "draft").order_by("number", "number_suffix")
    sections = Section.objects.filter(draft=draft).prefetch_related(Prefetch("clauses", queryset=clauses))
    draft.ordered_sections = list(sections)
    draft.left_the_text = []
    numerals = SectionNumerals()
    for section in draft.ordered_sections:
        section.in_the_text = []
        for clause in section.clauses.all():
            (draft.left_the_text if clause.status in OUT_OF_THE_TEXT else section.in_the_text).append(clause)
        section.numeral = numerals.next(section.is_preamble)
    return draft


def clause_for(user, clause_id: int, *, for_update: bool = False) -> tuple[Clause, str]:
    """The clause and the person's standing in its draft; NotFound when they may not see it."""
    clauses = Clause.objects.select_related("draft", "section", "proposer")
    if for_update:
        clauses = clauses.select_for_update(of=("self",))
    return _visible(user, clauses.filter(pk=clause_id).first(), lambda c: c.draft, "clause")


def delegations_in(draft_id: int):
    """The delegations taking part in a draft: the organizations a member of it belongs to, verified
    (those the Chair may take a proposal from)."""
    from accounts.models import Membership, Organization

    return Organization.objects.filter(
        memberships__user__draft_memberships__draft_id=draft_id, memberships__status=Membership.Status.VERIFIED
    ).distinct()


def clause_history(clause: Clause):
    """Every version of the clause, oldest first, with who changed it."""
    rows = clause.history.select_related("history_user", "recorded_for", "history_on_proposal_of")
    return rows.order_by("version", "history_id")


def clause_version(clause: Clause, version: int):
    record = clause.history.filter(version=version).order_by("-history_id").first()
    if record is None:
        raise NotFound(
            _("Clause %(ref)s has no version %(version)d.") % {"ref": clause.ref, "version": version},
            current_version=clause.version,
        )
    return record


def draft_members(draft: Draft):
    return DraftMembership.objects.filter(draft=draft).select_related("user")


def round_for(user, round_id: int, *, for_update: bool = False) -> tuple[Round, str]:
    rounds = Round.objects.select_related("draft")
    if for_update:
        rounds = rounds.select_for_update(of=("self",))
    return _visible(user, rounds.filter(pk=round_id).first(), lambda r: r.draft, "round")


def amendment_for(user, amendment_id: int, *, for_update: bool = False) -> tuple[Amendment, str]:
    amendments = Amendment.objects.select_related("clause__draft", "clause__section", "round", "author", "organization")
    if for_update:
        amendments = amendments.select_for_update(of=("self",))
    return _visible(user, amendments.filter(pk=amendment_id).first(), lambda a: a.clause.draft, "amendment")


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
    return _visible(
        user,
        comments.filter(pk=comment_id).first(),
        lambda c: c.clause.draft if c.clause_id else c.amendment.clause.draft,
        "comment",
    )


def snapshot_for(user, snapshot_id: int) -> tuple[Snapshot, str]:
    snapshot = Snapshot.objects.select_related("draft", "round").filter(pk=snapshot_id).first()
    return _visible(user, snapshot, lambda s: s.draft, "snapshot")


def follows(user, *, draft=None, clause=None) -> bool:
    if not user.is_authenticated:
        return False
    target = {"draft": draft} if draft is not None else {"clause": clause}
    return Subscription.objects.filter(user=user, **target).exists()


def export_job_for(user, job_id: int) -> ExportJob:
    """An export job of the person who asked for it; anyone else's is not there for them."""
    job = ExportJob.objects.select_related("draft").filter(pk=job_id, requested_by=user).first()
    if job is None:
        raise NotFound(_("No such export."))
    return job
