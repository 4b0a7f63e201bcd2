"""What is searched, a source per kind of text (current clauses, their earlier versions, rationale,
amendments, comments), each filtered for the reader, and the hits each gives: counted by kind and
paged across the groups in the kinds' order."""

import html
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import F, IntegerField, Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from accounts.selectors import group_spoken_for

from .. import rules
from ..models import Amendment, Clause, Comment, Draft, Phase, Round, paragraph_ref
from .engine import Engine
from .query import KINDS, Search


@dataclass
class Hit:
    kind: str
    id: int
    draft: Draft
    clause: Clause
    title: str
    snippet: str  # HTML: the text escaped, with <mark> around what matched
    url: str
    version: int | None = None
    current: bool = True
    status: str = ""
    reply: bool = False
    hidden: bool = False
    round_id: int | None = None
    at: datetime | None = None
    marked_title: str = ""  # HTML: the title with what matched in it marked, where titles are searched

    @property
    def title_html(self) -> str:
        """The title as safe HTML: escaped, with <mark> around the words searched for when the title
        is one of the fields searched (a clause's), so a hit found by its title shows why."""
        return mark_safe(self.marked_title or html.escape(self.title))  # noqa: S308 - escaped here or in marked()


@dataclass
class Results:
    search: Search
    counts: dict[str, int] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(self.counts.values())

    def groups(self) -> list[tuple[str, str, int, list[Hit]]]:
        """This page's hits by kind, in the kinds' order: ``(kind, heading, count of all, hits)``."""
        return [
            (kind, heading, self.counts[kind], [hit for hit in self.hits if hit.kind == kind])
            for kind, heading in KINDS.items()
            if any(hit.kind == kind for hit in self.hits)
        ]


def search(wanted: Search, *, offset: int = 0, limit: int = 20) -> Results:
    """Hits ``offset`` to ``offset + limit`` across the groups, and how many each kind has."""
    engine = Engine(wanted)
    drafts = _drafts(wanted)
    sources = [source(engine, drafts) for source in SOURCES if not wanted.kind or source.kind == wanted.kind]
    results = Results(search=wanted, counts={kind: 0 for kind in KINDS if not wanted.kind or kind == wanted.kind})
    if engine.empty:
        return results  # nothing of the query was a word PostgreSQL could look for
    sizes = []
    for source in sources:
        sizes.append(source.rows().count())
        results.counts[source.kind] += sizes[-1]
    start = offset
    for source, size in zip(sources, sizes, strict=True):
        if len(results.hits) >= limit:
            break
        if start >= size:
            start -= size
            continue
        results.hits.extend(source.hits(start, start + limit - len(results.hits)))
        start = 0
    return results


def _drafts(wanted: Search):
    """The drafts searched: the one asked for (search_request let only a readable one through), or
    every draft the reader may read."""
    if wanted.draft is not None:
        return [wanted.draft.pk]
    return rules.viewable_drafts(wanted.user, Draft.objects.all()).values("pk")


def _written_in(items, round_: Round):
    """What was written while ``round_`` ran (the comment filter's rule: from its opening to its close)."""
    if round_.phase == Phase.SCHEDULED:
        return items.none()
    items = items.filter(created_at__gte=round_.opened_at or round_.created_at)
    if round_.closed_at is not None:
        items = items.filter(created_at__lt=round_.closed_at)
    return items


class Source:
    """One table's hits: its matching rows (a queryset, filtered for the reader) and their Hits."""

    kind = ""
    model = None
    vector = "search_vector"  # the model field (drafting/vectors.py)

    def __init__(self, engine, drafts):
        self.engine = engine
        self.wanted = engine.wanted
        self.drafts = drafts  # _drafts(): worked out once for every source
        self._rows = None

    def rows(self):
        if self._rows is None:
            self._rows = self.engine.match(self.candidates(), self.vector)
        return self._rows

    def ordered(self, *fallback):
        return self.engine.ordered(self.rows(), self.vector, fallback)

    def candidates(self):
        raise NotImplementedError

    def hits(self, start: int, stop: int) -> list[Hit]:
        raise NotImplementedError


class CurrentClauses(Source):
    kind = "clause"
    model = Clause

    def candidates(self):
        clauses = Clause.objects.filter(draft__in=self.drafts)
        if self.wanted.group:
            clauses = clauses.alias(group=group_spoken_for(OuterRef("proposer_id"))).filter(group=self.wanted.group)
        if self.wanted.round is not None:
            clauses = clauses.filter(round=self.wanted.round)
        return clauses

    def hits(self, start, stop):
        rows = self.ordered("draft_id", "section__position", "number", "number_suffix")
        rows = rows.select_related("draft")
        return [
            Hit(
                kind=self.kind,
                id=clause.pk,
                draft=clause.draft,
                clause=clause,
                title=f"{clause.ref}. {clause.title}",
                marked_title=self.marked_title(clause.ref, clause.title),
                snippet=self.engine.snippet(self.shown(clause)),
                url=reverse("clause-detail", args=[clause.pk]),
                version=clause.version,
                status=clause.get_status_display(),
                round_id=clause.round_id,
                at=clause.updated_at,
            )
            for clause in rows[start:stop]
        ]

    def shown(self, clause) -> str:
        """The words its snippet comes from (the title heads the hit already)."""
        return clause.text

    def marked_title(self, ref: str, title: str) -> str:
        return f"{html.escape(ref)}. {self.engine.marked(title)}"


class EarlierVersions(Source):
    """Words a clause no longer says: its latest earlier version that has them, once per clause.
    A clause whose current text matches is among the current hits instead."""

    kind = "clause"
    model = Clause.history.model

    def candidates(self):
        history = self.model.objects.filter(draft_id__in=self.drafts)
        now = Subquery(
            Clause.objects.filter(pk=OuterRef("id")).order_by().values("version")[:1], output_field=IntegerField()
        )
        history = history.alias(now_at=now).filter(version__lt=F("now_at"))
        if self.wanted.group:
            history = history.alias(group=group_spoken_for(OuterRef("proposer_id"))).filter(group=self.wanted.group)
        if self.wanted.round is not None:
            history = history.filter(round_id=self.wanted.round.pk)
        return history

    def rows(self):
        if self._rows is None:
            matching = self.engine.match(self.candidates(), self.vector)
            still_there = self.engine.still_matching("search_vector")
            self._rows = matching.exclude(still_there).values("id").annotate(found=Max("version"))
        return self._rows

    def hits(self, start, stop):
        rank = self.engine.rank(self.vector)
        rows = self.rows()
        if rank is not None:
            rows = rows.annotate(rank=Max(rank)).order_by("-rank", "id")
        else:
            rows = rows.order_by("id")
        found = {row["id"]: row["found"] for row in rows[start:stop]}
        if not found:
            return []
        clauses = Clause.objects.select_related("draft").in_bulk(found)
        which = Q()
        for clause_id, version in found.items():
            which |= Q(id=clause_id, version=version)
        history = self.model.objects.filter(which).order_by("id", "-history_id")
        versions = {}
        for row in history:
            versions.setdefault(row.id, row)
        hits = []
        for clause_id in found:
            clause, row = clauses.get(clause_id), versions.get(clause_id)
            if clause is None or row is None:
                continue
            ref = paragraph_ref(row.number, row.number_suffix, preambular=row.preambular)
            query = urlencode({"from": row.version, "to": clause.version})
            hits.append(
                Hit(
                    kind=self.kind,
                    id=clause.pk,
                    draft=clause.draft,
                    clause=clause,
                    title=f"{ref}. {row.title}",
                    marked_title=f"{html.escape(ref)}. {self.engine.marked(row.title)}",
                    snippet=self.engine.snippet(row.text),
                    url=f"{reverse('clause-detail', args=[clause.pk])}?{query}#diff",
                    version=row.version,
                    current=False,
                    status=clause.get_status_display(),
                    round_id=row.round_id,
                    at=row.history_date,
                )
            )
        return hits


class Rationale(CurrentClauses):
    """A clause's rationale: the same clauses, found by what their proposers gave as reasons."""

    kind = "rationale"
    vector = "rationale_vector"

    def candidates(self):
        return super().candidates().exclude(rationale="")

    def shown(self, clause) -> str:
        return clause.rationale

    def marked_title(self, ref: str, title: str) -> str:
        return ""  # found by the rationale: the title was not searched


class Amendments(Source):
    kind = "amendment"
    model = Amendment

    def candidates(self):
        amendments = Amendment.objects.filter(clause__draft__in=self.drafts)
        if self.wanted.group:
            amendments = amendments.filter(organization__stakeholder_group=self.wanted.group)
        if self.wanted.round is not None:
            amendments = amendments.filter(round=self.wanted.round)
        return amendments

    def hits(self, start, stop):
        rows = self.ordered("-created_at", "-id")
        rows = rows.select_related("clause__draft")
        return [
            Hit(
                kind=self.kind,
                id=amendment.pk,
                draft=amendment.clause.draft,
                clause=amendment.clause,
                title=_("Amendment %(amendment)s to %(clause)s. %(title)s")
                % {"amendment": amendment.pk, "clause": amendment.clause.ref, "title": amendment.clause.title},
                snippet=self.engine.snippet(amendment.text, amendment.rationale),
                url=reverse("amendment-detail", args=[amendment.pk]),
                version=amendment.base_version,
                status=amendment.get_status_display(),
                round_id=amendment.round_id,
                at=amendment.created_at,
            )
            for amendment in rows[start:stop]
        ]


class Comments(Source):
    kind = "comment"
    model = Comment

    def candidates(self):
        drafts = self.drafts
        comments = Comment.objects.filter(Q(clause__draft__in=drafts) | Q(amendment__clause__draft__in=drafts))
        moderated = rules.hidden_comments_readable(self.wanted.user, Draft.objects.all()).values("pk")
        comments = comments.filter(
            Q(hidden=False) | Q(clause__draft__in=moderated) | Q(amendment__clause__draft__in=moderated)
        )
        if self.wanted.group:
            comments = comments.alias(group=group_spoken_for(OuterRef("author_id"))).filter(group=self.wanted.group)
        if self.wanted.round is not None:
            round_ = self.wanted.round
            comments = comments.filter(
                Q(clause__draft_id=round_.draft_id) | Q(amendment__clause__draft_id=round_.draft_id)
            )
            comments = _written_in(comments, round_)
        return comments

    def hits(self, start, stop):
        rows = self.ordered("-created_at", "-id")
        rows = rows.select_related("clause__draft", "amendment__clause__draft")
        hits = []
        for comment in rows[start:stop]:
            clause = comment.clause or comment.amendment.clause
            said = {"amendment": comment.amendment_id, "clause": clause.ref, "title": clause.title}
            if comment.amendment_id and comment.parent_id:
                title = _("Reply on amendment %(amendment)s to %(clause)s. %(title)s") % said
            elif comment.amendment_id:
                title = _("Comment on amendment %(amendment)s to %(clause)s. %(title)s") % said
            elif comment.parent_id:
                title = _("Reply on %(clause)s. %(title)s") % said
            else:
                title = _("Comment on %(clause)s. %(title)s") % said
            page = (
                reverse("amendment-detail", args=[comment.amendment_id])
                if comment.amendment_id
                else reverse("clause-detail", args=[clause.pk])
            )
            hits.append(
                Hit(
                    kind=self.kind,
                    id=comment.pk,
                    draft=clause.draft,
                    clause=clause,
                    title=title,
                    snippet=self.engine.snippet(comment.body),
                    url=f"{page}#comment-{comment.pk}",
                    status=comment.get_stance_display(),
                    reply=comment.parent_id is not None,
                    hidden=comment.hidden,
                    at=comment.created_at,
                )
            )
        return hits


SOURCES = (CurrentClauses, EarlierVersions, Rationale, Amendments, Comments)
