"""The engine: PostgreSQL's full-text search on the generated ``tsvector`` columns, and its ranking."""

from django.db import connection
from django.db.models import BooleanField, FloatField, Q
from django.db.models.expressions import RawSQL

from .query import Search
from .snippets import mark_all, marked_html, marks_for, plain_headline

FOUND = BooleanField()

# What PostgreSQL's parser would take for a tag or an entity and drop ("<name of State>"): a space,
# in the search vectors (drafting/0010) and in the words searched for alike.
UNPARSED = str.maketrans("<>&", "   ")


class Engine:
    """Full-text search on the generated ``tsvector`` columns (drafting/0010).

    The query is worked out once, in one statement, into a ``tsquery`` that every later statement
    takes as a parameter: each term read by PostgreSQL's own parser with English stemming (by
    ``phraseto_tsquery``, so operators typed are only words), or as written when English stopwords
    would leave nothing of it ("the"); a prefix as written, by the 'simple' configuration, which the
    vectors hold too. The SQL names only the sources' tables and columns; a person's words reach it
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
        self.marks = marks_for(wanted.terms, dict(zip(words, stems, strict=True)))

    @property
    def empty(self) -> bool:
        return not self.tsquery

    def match(self, rows, table, vector):
        sql = f"{table}.{vector} @@ %s::tsquery"
        return rows.filter(RawSQL(sql, [self.tsquery], output_field=FOUND))  # noqa: S611

    def still_matching(self, clause_table, history_table) -> Q:
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
