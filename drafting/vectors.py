"""The full-text search vectors PostgreSQL keeps beside the searchable texts (drafting/search/).

Each is a stored generated ``tsvector`` column under a GIN index, so the database keeps it current on
every write. Each text goes in twice: stemmed by the English rules (words and phrases: "protect"
finds "protection") and as written, by the 'simple' configuration (prefixes: "protecti*" finds
"protection", "in*" finds "information", which stemming or the English stopwords would lose). A
title weighs more than the text.
"""

import functools
import operator

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models

CONFIGS = ("english", "simple")
CLAUSE_TEXT = (("title", "A"), ("text", "B"))  # a clause's, in the text and in each earlier version

# What PostgreSQL's parser would take for a tag or an entity and drop ("<name of State>"): a space,
# in the vectors and in the words searched for alike (search/engine.py).
UNPARSED = "<>&"
UNPARSED_AS = " " * len(UNPARSED)


def _as_parsed(column: str):
    return models.Func(
        models.F(column),
        models.Value(UNPARSED),
        models.Value(UNPARSED_AS),
        function="translate",
        output_field=models.TextField(),
    )


def search_vector(*parts: tuple[str, str]) -> models.GeneratedField:
    """The vector of ``parts``, each ``(column, weight)``, in both configurations."""
    vectors = [
        SearchVector(_as_parsed(column), config=config, weight=weight) for config in CONFIGS for column, weight in parts
    ]
    return models.GeneratedField(
        expression=functools.reduce(operator.add, vectors), output_field=SearchVectorField(), db_persist=True
    )


def index(name: str, column: str = "search_vector") -> GinIndex:
    return GinIndex(fields=[column], name=name)
