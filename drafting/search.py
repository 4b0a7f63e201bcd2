"""Search: every clause text and title (the current one and every earlier version), rationale,
amendment and comment a person may read, for the search page and ``GET /api/v1/search/``.

What a query may say: words (all must be found), ``"a phrase"`` in quotes, and ``word*`` for every
word that starts so. Filters: one draft, one kind, the stakeholder group the author speaks for, one
round. Hits come grouped by kind in a fixed order (clauses, then earlier versions of clauses,
rationale, amendments, comments), the best first within each group, and are paged across groups.

PostgreSQL's full-text search answers it, over stored, generated ``tsvector`` columns under GIN
indexes (migration drafting/0010), which the database keeps current on every write: English
stemming ("protect" finds "protection"), phrases, prefixes; a title weighs more than the text.

Who finds what: drafts by the ``view`` rule (a members-only draft never shows to a non-member); a
hidden comment only by the moderators of its draft and admins (its author still reads it on its
page, but search does not surface it).
"""

import html
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import BooleanField, F, FloatField, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from accounts.models import StakeholderGroup
from accounts.selectors import group_spoken_for
from codeofconduct.errors import InvalidInput
from codeofconduct.inputs import whole_number

from . import rules
from .models import (
    Amendment,
    Clause,
    Comment,
    Draft,
    Phase,
    Round,
    paragraph_ref,
)

# The kinds a person may ask for, in the order their groups are shown. "clause" covers both the
# current texts and earlier versions (a hit's ``current`` says which).
KINDS = {
    "clause": "Clauses",
    "rationale": "Rationale",
    "amendment": "Amendments",
    "comment": "Comments and replies",
}
MAX_QUERY = 200
MAX_TERMS = 12
# Snippet markers: noncharacters that input checks refuse everywhere (codeofconduct.inputs), so
# they can only come from the highlighter, never from a person's words.
START, STOP = "\ufdd0", "\ufdd1"
SNIPPET_WORDS = 32
FOUND = BooleanField()


@dataclass(frozen=True)
class Term:
    """A word, a phrase (several words in this order), or a prefix (its last word is a beginning).

    ``raw`` is the term as typed (without quotes or the star): PostgreSQL reads it with the same
    parser that built the stored vectors, so "A/RES/73/27" or "cyber-security" match as written.
    """

    words: tuple[str, ...]
    prefix: bool = False
    raw: str = ""

    def pattern(self) -> str:
        """The regular expression the embedded default matches (and both engines mark) it by: its
        words in order with anything but letters and digits between them; a single word or a prefix
        may begin a longer word ("protect" marks "protection"), a phrase's last word is whole."""
        body = r"\W+".join(re.escape(word) for word in self.words)
        end = "" if self.prefix or len(self.words) == 1 else r"(?!\w)"
        return rf"(?<!\w){body}{end}"


@dataclass(frozen=True)
class Search:
    """A parsed, checked request: what to find, and where."""

    text: str
    terms: tuple[Term, ...]
    user: object
    draft: Draft | None = None
    kind: str = ""
    group: str = ""
    round: Round | None = None

    def params(self, **changes) -> str:
        """The search as a query string, with ``changes``, for links to its other pages and kinds."""
        values = {
            "q": self.text,
            "draft": self.draft.slug if self.draft else "",
            "kind": self.kind,
            "group": self.group,
            "round": str(self.round.pk) if self.round else "",
            **changes,
        }
        return urlencode({name: value for name, value in values.items() if value})


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


# Reading the request ------------------------------------------------------------------------------

_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


def parse(text: str) -> tuple[Term, ...]:
    """The terms of a query: quoted phrases, words, ``word*`` prefixes (a phrase may end in one too).
    Punctuation inside a token joins its words into a phrase ("cyber-security")."""
    terms = []
    for phrase, token in _TOKEN.findall(text):
        raw = (phrase if phrase else token).strip()
        prefix = raw.endswith("*")
        raw = raw.rstrip("*").strip()
        words = tuple(word.lower() for word in _WORD.findall(raw))
        if words:
            terms.append(Term(words, prefix=prefix, raw=raw))
    return tuple(dict.fromkeys(terms))


def search_request(user, params) -> Search:
    """The search a request asks for (``request.GET`` or ``query_params``); InvalidInput (400, naming
    the field) on anything it cannot answer."""
    text = (params.get("q") or "").strip()
    if not text:
        raise InvalidInput("Type a word or a phrase to search for.", field="q")
    if len(text) > MAX_QUERY:
        raise InvalidInput(f"Search for at most {MAX_QUERY} characters.", field="q")
    terms = parse(text)
    if not terms:
        raise InvalidInput("Search for words: punctuation alone finds nothing.", field="q")
    if len(terms) > MAX_TERMS:
        raise InvalidInput(f"Search for at most {MAX_TERMS} words or phrases at once.", field="q")
    kind = (params.get("kind") or "").strip()
    if kind and kind not in KINDS:
        raise InvalidInput(f"Choose one of: {', '.join(KINDS)} (or none for all).", field="kind")
    group = (params.get("group") or "").strip()
    if group and group not in StakeholderGroup.values:
        raise InvalidInput(f"Choose one of: {', '.join(StakeholderGroup.values)} (or none for all).", field="group")
    draft = draft_param(user, (params.get("draft") or "").strip())
    round_ = _round_param(user, (params.get("round") or "").strip(), draft)
    return Search(text=text, terms=terms, user=user, draft=draft, kind=kind, group=group, round=round_)


def draft_param(user, slug: str) -> Draft | None:
    if not slug:
        return None
    # An unknown draft and one hidden from this person read the same: the answer says nothing of it.
    draft = rules.viewable_drafts(user, Draft.objects.filter(slug=slug)).first()
    if draft is None:
        raise InvalidInput("No such draft; give the slug of a draft you can read.", field="draft")
    return draft


def _round_param(user, raw: str, draft: Draft | None) -> Round | None:
    if not raw:
        return None
    round_id = whole_number(raw)
    rounds = Round.objects.filter(draft__in=rules.viewable_drafts(user, Draft.objects.all()))
    if draft is not None:
        rounds = rounds.filter(draft=draft)
    round_ = rounds.filter(pk=round_id).first() if round_id is not None else None
    if round_ is None:
        where = " in this draft" if draft is not None else ""
        raise InvalidInput(f"No such round{where}; give the id of one of its rounds.", field="round")
    return round_


# Beyond this, a page number is a mistake or a probe: no reader pages that far, and the offset it
# asks the database to skip grows with it.
MAX_PAGE = 10_000


def page_number(raw) -> int:
    """The page asked for (1 when none); InvalidInput naming ``page`` for anything else."""
    if raw in (None, ""):
        return 1
    number = whole_number(raw)
    if number is None or number < 1 or number > MAX_PAGE:
        raise InvalidInput(f"Give a page number from 1 to {MAX_PAGE:,}.", field="page")
    return number


# Finding ------------------------------------------------------------------------------------------


def search(wanted: Search, *, offset: int = 0, limit: int = 20) -> Results:
    """Hits ``offset`` to ``offset + limit`` across the groups, and how many each kind has."""
    engine = Engine(wanted)
    sources = [source(engine) for source in SOURCES if not wanted.kind or source.kind == wanted.kind]
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
    drafts = rules.viewable_drafts(wanted.user, Draft.objects.all())
    if wanted.draft is not None:
        drafts = drafts.filter(pk=wanted.draft.pk)
    return drafts.values("pk")


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
    vector = "search_vector"
    fields: tuple[str, ...] = ()

    def __init__(self, engine):
        self.engine = engine
        self.wanted = engine.wanted
        self._rows = None

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    def rows(self):
        if self._rows is None:
            self._rows = self.engine.match(self.candidates(), self.table, self.vector, self.fields)
        return self._rows

    def ordered(self, *fallback):
        return self.engine.ordered(self.rows(), self.table, self.vector, fallback)

    def candidates(self):
        raise NotImplementedError

    def hits(self, start: int, stop: int) -> list[Hit]:
        raise NotImplementedError


class CurrentClauses(Source):
    kind = "clause"
    model = Clause
    fields = ("title", "text")

    def candidates(self):
        clauses = Clause.objects.filter(draft__in=_drafts(self.wanted))
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
    fields = ("title", "text")

    def candidates(self):
        history = self.model.objects.filter(draft_id__in=_drafts(self.wanted))
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
            matching = self.engine.match(self.candidates(), self.table, self.vector, self.fields)
            still_there = self.engine.still_matching(Clause._meta.db_table, self.table, self.fields)
            self._rows = matching.exclude(still_there).values("id").annotate(found=Max("version"))
        return self._rows

    def hits(self, start, stop):
        rank = self.engine.rank(self.table, self.vector)
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
    fields = ("rationale",)

    def candidates(self):
        return super().candidates().exclude(rationale="")

    def shown(self, clause) -> str:
        return clause.rationale

    def marked_title(self, ref: str, title: str) -> str:
        return ""  # found by the rationale: the title was not searched


class Amendments(Source):
    kind = "amendment"
    model = Amendment
    fields = ("text", "rationale")

    def candidates(self):
        amendments = Amendment.objects.filter(clause__draft__in=_drafts(self.wanted))
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
                title=f"Amendment {amendment.pk} to {amendment.clause.ref}. {amendment.clause.title}",
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
    fields = ("body",)

    def candidates(self):
        drafts = _drafts(self.wanted)
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
            on = f"amendment {comment.amendment_id} to {clause.ref}" if comment.amendment_id else clause.ref
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
                    title=f"{'Reply' if comment.parent_id else 'Comment'} on {on}. {clause.title}",
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


# Engines ------------------------------------------------------------------------------------------


# What PostgreSQL's parser would take for a tag or an entity and drop ("<name of State>"): a space,
# in the search vectors (drafting/0010) and in the words searched for alike.
UNPARSED = str.maketrans("<>&", "   ")


class Engine:
    """Full-text search on the generated ``tsvector`` columns (drafting/0010).

    The query is worked out once, in one statement, into a ``tsquery`` that every later statement
    takes as a parameter: each term read by PostgreSQL's own parser with English stemming (by
    ``phraseto_tsquery``, so operators typed are only words), or as written when English stopwords
    would leave nothing of it ("the"); a prefix as written, by the 'simple' configuration, which the
    vectors hold too. The SQL names only this module's tables and columns; a person's words reach it
    as parameters.
    """

    def __init__(self, wanted: Search):
        self.wanted = wanted
        parts, params = [], []
        for term in wanted.terms:
            if term.prefix:
                lexemes = [f"'{word}'" for word in term.words]  # words are \w+: quoting them is enough
                lexemes[-1] += ":*"
                parts.append("to_tsquery('simple', %s)")
                params.append(" <-> ".join(lexemes))
            else:
                parts.append(
                    "(CASE WHEN numnode(phraseto_tsquery('english', %s)) = 0"
                    " THEN phraseto_tsquery('simple', %s) ELSE phraseto_tsquery('english', %s) END)"
                )
                params += [term.raw.translate(UNPARSED)] * 3
        words = sorted({word for term in wanted.terms if not term.prefix for word in term.words})
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT ({' && '.join(parts)})::text,"  # noqa: S608
                " array(SELECT coalesce((ts_lexize('english_stem', w))[1], w) FROM unnest(%s::text[]) w)",
                [*params, words],
            )
            self.tsquery, stems = cursor.fetchone()
        self.marks = _marks(wanted.terms, dict(zip(words, stems, strict=True)))

    @property
    def empty(self) -> bool:
        return not self.tsquery

    def match(self, rows, table, vector, fields):
        sql = f"{table}.{vector} @@ %s::tsquery"
        return rows.filter(RawSQL(sql, [self.tsquery], output_field=FOUND))  # noqa: S611

    def still_matching(self, clause_table, history_table, fields) -> Q:
        """A history row of a clause whose current text matches too (it is a current hit)."""
        same_clause = f"now_clause.id = {history_table}.id"
        sql = f"EXISTS (SELECT 1 FROM {clause_table} now_clause WHERE {same_clause} AND now_clause.search_vector @@ %s::tsquery)"  # noqa: S608
        return Q(RawSQL(sql, [self.tsquery], output_field=FOUND))  # noqa: S611

    def rank(self, table, vector):
        sql = f"ts_rank({table}.{vector}, %s::tsquery)"
        return RawSQL(sql, [self.tsquery], output_field=FloatField())  # noqa: S611

    def ordered(self, rows, table, vector, fallback):
        return rows.annotate(rank=self.rank(table, vector)).order_by("-rank", *fallback)

    def snippet(self, *texts):
        return marked_html(plain_headline("\n".join(text for text in texts if text), self.marks))

    def marked(self, text: str) -> str:
        return marked_html(mark_all(text, self.marks))


def _marks(terms, stem_of: dict[str, str]) -> re.Pattern:
    """What to mark in a snippet found by PostgreSQL: each word by its English stem (which may begin
    a longer word: "critic" marks "critical"), each prefix as typed, each term also as typed."""
    patterns = []
    for term in terms:
        patterns.append(term.pattern())
        if term.raw and not term.prefix:
            patterns.append(re.escape(term.raw))
        if not term.prefix:
            # The whole word a stem begins ("critic" marks "critical"), never a piece of it.
            patterns += [rf"(?<!\w){re.escape(stem_of.get(word, word))}\w*" for word in term.words]
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


def plain_headline(text: str, marks: re.Pattern) -> str:
    """About SNIPPET_WORDS words of ``text`` around the first match, each match between START and STOP."""
    first = marks.search(text)
    words = list(re.finditer(r"\S+", text))
    if not words:
        return ""
    at = 0
    if first is not None:
        at = next((index for index, word in enumerate(words) if word.end() > first.start()), 0)
    begin = max(0, at - SNIPPET_WORDS // 3)
    end = min(len(words), begin + SNIPPET_WORDS)
    cut = text[words[begin].start() : words[end - 1].end()]
    marked = mark_all(cut, marks)
    return ("… " if begin else "") + marked + (" …" if end < len(words) else "")


def mark_all(text: str, marks: re.Pattern) -> str:
    """The whole of a short text (a title), each match between START and STOP."""
    return marks.sub(lambda found: f"{START}{found.group()}{STOP}", text or "")


def marked_html(snippet: str) -> str:
    """A snippet as safe HTML: everything escaped, the matches in <mark>."""
    escaped = html.escape(" ".join((snippet or "").split()))
    return escaped.replace(START, "<mark>").replace(STOP, "</mark>")
