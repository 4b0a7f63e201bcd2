"""The engine: PostgreSQL's full-text search on the generated ``tsvector`` columns, and its ranking."""

from django.contrib.postgres.search import SearchQueryField, SearchRank
from django.db import connection
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Value
from django.db.models.functions import Cast

from ..models import Clause
from ..vectors import UNPARSED, UNPARSED_AS
from .query import Search
from .snippets import mark_all, marked_html, marks_for, plain_headline

# What PostgreSQL's parser would take for a tag or an entity and drop ("<name of State>"): a space,
# in the search vectors and in the words searched for alike.
AS_PARSED = str.maketrans(UNPARSED, UNPARSED_AS)


class Matches(Func):
    """``vector @@ query``: the condition a GIN index on the vector answers."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class Engine:
    """Full-text search on the generated ``tsvector`` columns (drafting/vectors.py).

    The query is worked out once, in one statement, into a ``tsquery`` that every later statement
    takes as a parameter: each term read by PostgreSQL's own parser with English stemming (by
    ``phraseto_tsquery``, so operators typed are only words), or as written when English stopwords
    would leave nothing of it ("the"); a prefix as written, by the 'simple' configuration, which the
    vectors hold too. A person's words reach the SQL only as parameters.
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
                params += [term.raw.translate(AS_PARSED)] * 3
        words = sorted({word for term in wanted.terms if not term.prefix for word in term.words})
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT ({' && '.join(parts)})::text,"  # noqa: S608
                " array(SELECT coalesce((ts_lexize('english_stem', w))[1], w) FROM unnest(%s::text[]) w)",
                [*params, words],
            )
            self.tsquery, stems = cursor.fetchone()
        self.marks = marks_for(wanted.terms, dict(zip(words, stems, strict=True)))
        # The worked-out query as it is (no configuration's parser reads it again), built once for
        # every statement of the search.
        self._query = Cast(Value(self.tsquery), SearchQueryField())

    @property
    def empty(self) -> bool:
        return not self.tsquery

    def query(self) -> Cast:
        return self._query

    def match(self, rows, vector):
        return rows.filter(Matches(F(vector), self.query()))

    def still_matching(self, vector) -> Exists:
        """For a history row of a clause: the clause's current text matches too (a current hit)."""
        return Exists(Clause.objects.filter(Matches(F(vector), self.query()), pk=OuterRef("id")))

    def rank(self, vector) -> SearchRank:
        return SearchRank(F(vector), self.query())

    def ordered(self, rows, vector, fallback):
        return rows.annotate(rank=self.rank(vector)).order_by("-rank", *fallback)

    def snippet(self, *texts):
        return marked_html(plain_headline("\n".join(text for text in texts if text), self.marks))

    def marked(self, text: str) -> str:
        return marked_html(mark_all(text, self.marks))
