"""What changed in a draft since a moment: the catch-up of a delegate back from a week away.

``changes_since`` lists, each in reading or time order, ``CAP`` items a page with the full count
beside it: clauses changed (with the page's redline from their text at that moment, as
simple-history kept it; moved to another section too), added and removed; amendments submitted
and decided; comments and replies written or edited (hidden ones only for those the rules let read
them); rounds that were created or moved. Page 2 holds items ``CAP + 1`` to ``2 * CAP`` of every
list that has so many. Its queries do not grow with the number of changes: each list is one query
(with its count as a window over it; a page past a list's end counts it apart), the clauses two,
and whom each act spoke for one more.

The draft page's banner counts only the clauses changed since (drafting/views/drafts.py), on an
index; this list is the whole story.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Window
from django.db.models.functions import Coalesce
from django.urls import reverse

from live.models import LiveSession

from .. import rules
from ..diff import visible_text, visible_word_diff, with_brackets, word_diff
from ..models import (
    BRACKETED_STATUSES,
    OUT_OF_THE_TEXT,
    READING_ORDER,
    Amendment,
    AmendmentStatus,
    Clause,
    Comment,
    Round,
    paragraph_ref,
)
from ..naming import Naming, changed_by
from ..services.visits import settled
from .change_authors import _Acts
from .subjects import comment_body_visible

# The most items a list shows on a page; its count says how many there are in all.
CAP = 200
# An amendment in one of these states has been decided: by the round's vote (a rival settled at
# the close included), or by its author.
DECIDED = (
    AmendmentStatus.ACCEPTED,
    AmendmentStatus.REJECTED,
    AmendmentStatus.WITHDRAWN,
    AmendmentStatus.CONFLICTED,
    AmendmentStatus.SUPERSEDED,
    AmendmentStatus.CARRIED_OVER,
)
# What a round's moves are called, with the field that dates each.
ROUND_EVENTS = (
    ("created", "created_at"),
    ("opened", "opened_at"),
    ("voting", "voting_started_at"),
    ("closed", "closed_at"),
)


@dataclass
class Listed:
    """A page of one kind of change (up to ``CAP`` items from ``offset``), and how many in all."""

    items: list[dict] = field(default_factory=list)
    count: int = 0
    offset: int = 0

    @property
    def capped(self) -> bool:
        """More follow on the next page."""
        return self.count > self.offset + len(self.items)

    @property
    def last(self) -> int:
        """The position of this page's last item in the whole list."""
        return self.offset + len(self.items)

    @property
    def first(self) -> int:
        """The position of this page's first item in the whole list (1 for the first)."""
        return self.offset + 1


@dataclass
class Changes:
    since: datetime
    until: datetime  # when the lists were made: marking them seen marks up to here
    clauses_changed: Listed
    clauses_added: Listed
    clauses_removed: Listed
    amendments_new: Listed
    amendments_decided: Listed
    comments: Listed
    rounds: Listed
    sessions: Listed
    page: int = 1

    LISTS = (
        "clauses_changed",
        "clauses_added",
        "clauses_removed",
        "amendments_new",
        "amendments_decided",
        "comments",
        "rounds",
        "sessions",
    )

    @property
    def total(self) -> int:
        return sum(getattr(self, name).count for name in self.LISTS)

    @property
    def has_next(self) -> bool:
        """Some list goes on past this page."""
        return any(getattr(self, name).capped for name in self.LISTS)

    @property
    def pages(self) -> int:
        """How many pages the longest list fills (at least one)."""
        longest = max(getattr(self, name).count for name in self.LISTS)
        return max(1, -(-longest // CAP))


def changes_since(user, draft, standing: str, since: datetime, *, page: int = 1) -> Changes:
    """What changed in ``draft`` after ``since``, as ``user`` (of ``standing`` in it) may see it:
    page ``page`` of every list.

    Call once the reader has been let see the draft. People are named as the round the act was
    made in allows (``naming.Naming.published``): under the Chatham House rule, by stakeholder group only.
    A ``since`` before the draft was created is taken as its creation: nothing changed in it before.
    """
    # Up to where the lists are whole: a change still being written (dated before it commits) is
    # left after ``until``, so marking these lists seen never marks it (services.visits.settled).
    until = settled()
    since = max(since, draft.created_at)
    start = (page - 1) * CAP
    # A round's close runs from its ``closed_at`` to its Rev.N snapshot: what the close changed
    # (merges, adoptions) is dated in between and is that round's act, named by its rule.
    rounds = Round.objects.filter(draft=draft).annotate(closed_through=F("snapshot__created_at"))
    rounds = list(rounds.order_by("created_at", "id"))
    changed, added, removed = _clauses(draft, since)
    acts = _Acts(draft, rounds)
    lists = {
        "clauses_changed": _listed(changed, start, lambda c: _clause_item(c, "changed", acts)),
        "clauses_added": _listed(added, start, lambda c: _clause_item(c, "added", acts)),
        "clauses_removed": _listed(removed, start, lambda c: _clause_item(c, "removed", acts)),
        "amendments_new": _counted(_amendments_new(draft, since), start, lambda a: _amendment_item(a, acts, new=True)),
        "amendments_decided": _counted(
            _amendments_decided(draft, since), start, lambda a: _amendment_item(a, acts, new=False)
        ),
        "comments": _counted(
            _comments(user, draft, standing, since), start, lambda c: _comment_item(user, c, standing, acts, since)
        ),
        "rounds": _listed([r for r in rounds if _round_events(r, since)], start, lambda r: _round_item(r, since)),
        "sessions": _listed(_sessions(draft, since), start, _session_item),
    }
    acts.name_everyone()
    return Changes(since=since, until=until, page=page, **lists)


def clause_changes(
    draft, since: datetime, *, section_id: int | None = None, clause_id: int | None = None
) -> list[dict]:
    """The paragraphs changed, added and removed in ``draft`` after ``since`` (of one section when
    ``section_id`` is given, the one paragraph ``clause_id`` when it is), each as "What changed"
    lists it (its redline, who changed it, named as everyone reads it), in reading order: what a
    live session changed."""
    rounds = Round.objects.filter(draft=draft).annotate(closed_through=F("snapshot__created_at"))
    acts = _Acts(draft, list(rounds.order_by("created_at", "id")))
    changed, added, removed = _clauses(draft, since)
    found = [(c, "changed") for c in changed] + [(c, "added") for c in added] + [(c, "removed") for c in removed]
    if section_id is not None:
        found = [(c, kind) for c, kind in found if section_id in (c.section_id, getattr(c.then, "section_id", None))]
    if clause_id is not None:
        found = [(c, kind) for c, kind in found if c.pk == clause_id]
    found.sort(key=lambda pair: (pair[0].section.position, pair[0].section_id, pair[0].number, pair[0].number_suffix))
    items = [_clause_item(clause, kind, acts) for clause, kind in found]
    acts.name_everyone()
    return items


def _listed(found: list, start: int, item) -> Listed:
    return Listed(items=[item(x) for x in found[start : start + CAP]], count=len(found), offset=start)


def _counted(queryset, start: int, item) -> Listed:
    """``CAP`` rows from ``start`` and, on each, the count of all (a window over the query): one
    query; a page past the list's end counts it apart."""
    rows = list(queryset.annotate(total=Window(Count("id")))[start : start + CAP])
    if rows:
        count = rows[0].total
    else:
        count = queryset.count() if start else 0
    return Listed(items=[item(row) for row in rows], count=count, offset=start)


# Clauses --------------------------------------------------------------------------------------------


def _version_at(**moment) -> Subquery:
    """The history row of the clause as it stood at a moment (its last one when ``moment`` is empty)."""
    rows = Clause.history.filter(id=OuterRef("pk"), **moment).order_by("-history_date", "-history_id")
    return Subquery(rows.values("history_id")[:1])


def _clauses(draft, since: datetime) -> tuple[list, list, list]:
    """``(changed, added, removed)`` in reading order, each clause with ``then`` (as it stood at
    ``since``, None for one added since) and ``last`` (its latest history row: who changed it, why)."""
    touched = list(
        Clause.objects.filter(draft=draft, updated_at__gt=since)
        .annotate(then_id=_version_at(history_date__lte=since), last_id=_version_at())
        .select_related("proposer", "section")
        .order_by(*READING_ORDER)
        .defer("rationale")
    )
    wanted = {c.then_id for c in touched} | {c.last_id for c in touched}
    rows = Clause.history.filter(history_id__in=[i for i in wanted if i is not None])
    rows = rows.select_related("history_user", "recorded_for", "history_on_proposal_of", "section")
    rows = {row.history_id: row for row in rows.defer("rationale")}
    changed, added, removed = [], [], []
    for clause in touched:
        clause.then, clause.last = rows.get(clause.then_id), rows.get(clause.last_id)
        if clause.created_at > since or clause.then is None:
            added.append(clause)
        elif clause.status in OUT_OF_THE_TEXT and clause.then.status not in OUT_OF_THE_TEXT:
            removed.append(clause)
        elif _reads(clause.then) != _reads(clause):
            changed.append(clause)
    return changed, added, removed


def _shown(redline: list[dict]) -> list[dict]:
    """A redline without empty runs (a text whose rendering shows no words has nothing to mark)."""
    return [op for op in redline if op["text"]]


def _reads(clause) -> tuple:
    """What a reader sees of a clause: where it stands (its section, its number), its title, its
    words and its status."""
    return (
        clause.section_id,
        clause.preambular,
        clause.number,
        clause.number_suffix,
        clause.title,
        clause.text,
        clause.status,
    )


def _clause_item(clause, change: str, acts) -> dict:
    then, last = clause.then, clause.last
    bracketed = clause.status in BRACKETED_STATUSES
    was_bracketed = then is not None and then.status in BRACKETED_STATUSES
    if change == "added":
        redline = with_brackets([{"op": "insert", "text": visible_text(clause.text_html)}], False, bracketed)
    elif change == "removed":
        redline = with_brackets([{"op": "delete", "text": visible_text(then.text_html)}], was_bracketed, False)
    else:
        same = then.text_html == clause.text_html
        ops = [{"op": "equal", "text": visible_text(clause.text_html)}] if same else None
        redline = with_brackets(ops or visible_word_diff(then.text_html, clause.text_html), was_bracketed, bracketed)
    previous_ref = paragraph_ref(then.number, then.number_suffix, preambular=then.preambular) if then else ""
    item = {
        "clause": clause.id,
        "change": change,
        "ref": clause.ref,
        "previous_ref": previous_ref if previous_ref != clause.ref else "",
        "title": clause.title,
        "previous_title": then.title if then is not None and then.title != clause.title else "",
        "section": clause.section.title,
        "previous_section": _section_title(then) if then is not None and then.section_id != clause.section_id else "",
        "status": clause.status,
        "previous_status": then.status if then is not None else None,
        "version": clause.version,
        "previous_version": then.version if then is not None else None,
        "changed_at": clause.updated_at,
        "reason": (last.history_change_reason or "") if last is not None else "",
        "redline": _shown(redline),
        "url": reverse("clause-detail", args=[clause.id]),
    }
    if change == "added":
        acts.name(
            item,
            clause.proposer_id,
            clause.proposer,
            clause.created_at,
            round_id=clause.round_id,
            as_chair=clause.proposed_as_chair,
        )
    elif last is not None:
        acts.name(
            item,
            last.history_user_id,
            last.history_user,
            last.history_date,
            published_in=last.act_round_id,
            as_chair=last.history_as_chair,
            on_proposal_of=last.history_on_proposal_of,
        )
    else:
        acts.nobody(item)
    return item


# Amendments -----------------------------------------------------------------------------------------


def _section_title(row) -> str:
    """The title of the section a history row stood in ("" if the section is gone since)."""
    section = getattr(row, "section", None) if row.section_id is not None else None
    return section.title if section is not None else ""


def _amendments_new(draft, since: datetime):
    return (
        Amendment.objects.filter(clause__draft=draft, created_at__gt=since)
        .select_related("clause", "author", "organization", "round")
        .order_by("created_at", "id")
    )


def _amendments_decided(draft, since: datetime):
    """Amendments written before ``since`` whose decision came after it: their history first shows
    their present status after ``since``."""
    in_status = Amendment.history.filter(id=OuterRef("pk"), status=OuterRef("status"))
    return (
        Amendment.objects.filter(clause__draft=draft, created_at__lte=since, status__in=DECIDED)
        .filter(Exists(in_status.filter(history_date__gt=since)), ~Exists(in_status.filter(history_date__lte=since)))
        .select_related("clause", "round")
        .order_by("updated_at", "id")
    )


def _amendment_item(amendment, acts, *, new: bool) -> dict:
    clause = amendment.clause
    item = {
        "amendment": amendment.id,
        "clause": clause.id,
        "clause_ref": clause.ref,
        "clause_title": clause.title,
        "kind": amendment.kind,
        "status": amendment.status,
        "round": amendment.round.title,
        "at": amendment.created_at if new else amendment.updated_at,
        "redline": _shown(word_diff(amendment.base_text, amendment.new_text)) if new else None,
        "url": reverse("amendment-detail", args=[amendment.id]),
    }
    if new:
        acts.name(
            item,
            amendment.author_id,
            amendment.author,
            amendment.created_at,
            round_id=amendment.round_id,
            recorded=amendment.organization,
            as_chair=amendment.as_chair,
        )
    else:
        item["by"] = None  # the round decided it, or its author withdrew it: the status says which
    return item


# Comments -------------------------------------------------------------------------------------------


def _comments(user, draft, standing: str, since: datetime):
    """Comments and replies on the draft's clauses and amendments written or edited since, in the
    order of those moments, hidden ones only for those the rules let read them (moderators,
    administrators, and each author their own)."""
    comments = (
        Comment.objects.filter(Q(clause__draft=draft) | Q(amendment__clause__draft=draft))
        .filter(Q(created_at__gt=since) | Q(edited_at__gt=since))
        .select_related("author", "clause", "amendment__clause")
    )
    if not rules.allowed("comment_read_hidden", rules.Subject(standing, state=rules.HIDDEN)):
        own = Q(author_id=user.id) if user is not None and user.is_authenticated else Q(pk__in=[])
        comments = comments.filter(Q(hidden=False) | own)
    return comments.annotate(changed_at=Coalesce("edited_at", "created_at")).order_by("changed_at", "id")


def _comment_item(user, comment, standing: str, acts, since: datetime) -> dict:
    clause = comment.clause or comment.amendment.clause
    on = "clause-detail" if comment.clause_id else "amendment-detail"
    visible = comment_body_visible(user, comment, standing)
    item = {
        "comment": comment.id,
        "clause": clause.id,
        "clause_ref": clause.ref,
        "amendment": comment.amendment_id,
        "parent": comment.parent_id,
        "stance": comment.stance,
        "body": comment.body if visible else "",
        "hidden": comment.hidden,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "change": "edited" if comment.created_at <= since else "written",
        "url": reverse(on, args=[comment.clause_id or comment.amendment_id]) + f"#comment-{comment.id}",
    }
    acts.name(item, comment.author_id, comment.author, comment.created_at, as_chair=comment.as_chair)
    return item


# Rounds ---------------------------------------------------------------------------------------------


def _round_events(round_, since: datetime) -> list[dict]:
    events = [(name, getattr(round_, attr)) for name, attr in ROUND_EVENTS]
    return [{"event": name, "at": at} for name, at in events if at is not None and at > since]


def _round_item(round_, since: datetime) -> dict:
    return {
        "round": round_.id,
        "title": round_.title,
        "phase": round_.phase,
        "events": _round_events(round_, since),
        "url": reverse("round-results", args=[round_.id]),
    }


# Live sessions ----------------------------------------------------------------------------------


def _sessions(draft, since: datetime) -> list:
    closed = LiveSession.objects.filter(draft=draft, closed_at__gt=since).select_related("section", "draft")
    sessions = list(closed.order_by("closed_at", "id"))
    name_summaries(draft, sessions)
    return sessions


def name_summaries(draft, sessions) -> None:
    """Name, as everyone reads them now (``Naming.published``), who made the last version of each
    paragraph a closed session's summary lists (``who``): the summary keeps the history row, not
    the name, so a round put under the Chatham House rule later keeps them from every summary too."""
    items = [item for session in sessions for item in session.summary.get("clauses", ())]
    wanted = [item["history_id"] for item in items if item.get("history_id")]
    if not wanted:
        return
    rows = Clause.history.filter(history_id__in=wanted).select_related(
        "history_user", "recorded_for", "history_on_proposal_of"
    )
    rows = {row.history_id: row for row in rows.defer("rationale")}
    naming = Naming.published(draft.pk, chair=draft.chair_name)
    naming.load((row.history_user_id, row.history_date) for row in rows.values())
    for item in items:
        row = rows.get(item.get("history_id"))
        item["who"] = changed_by(naming, row).sentence if row is not None else ""


def _session_item(session) -> dict:
    """A closed live session and what changed in it, as it recorded at its close (its people named
    as "What changed" names everyone)."""
    return {
        "session": session.pk,
        "opened_at": session.opened_at,
        "closed_at": session.closed_at,
        "section": session.section.title if session.section is not None else "",
        "summary": session.summary,
        "url": reverse("live-session", args=[session.draft.slug]),
    }
