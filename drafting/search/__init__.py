"""Search: every clause text and title (the current one and every earlier version), rationale,
amendment and comment a person may read, for the search page and ``GET /api/v1/search/``.

What a query may say: words (all must be found), ``"a phrase"`` in quotes, and ``word*`` for every
word that starts so. Filters: one draft, one kind, the stakeholder group the author speaks for, one
round. Hits come grouped by kind in a fixed order (clauses, then earlier versions of clauses,
rationale, amendments, comments), the best first within each group, and are paged across groups.

PostgreSQL's full-text search answers it, through ``django.contrib.postgres.search``, over the
models' stored, generated ``tsvector`` fields under GIN indexes (drafting/vectors.py), which the
database keeps current on every write: English
stemming ("protect" finds "protection"), phrases, prefixes; a title weighs more than the text.

Who finds what: drafts by the ``view`` rule (a members-only draft never shows to a non-member); a
hidden comment only by the moderators of its draft and admins (its author still reads it on its
page, but search does not surface it).

The package, by concern: ``query.py`` reads the request (the terms, the filters, the page),
``sources.py`` is what is searched and the hits each kind gives, paged across the groups,
``engine.py`` the full-text SQL and the ranking, ``snippets.py`` the snippets and the marking of
what matched.
"""

from .query import KINDS, MAX_PAGE, Search, draft_param, page_number, search_request
from .sources import Hit, Results, search

__all__ = [
    "KINDS",
    "MAX_PAGE",
    "Hit",
    "Results",
    "Search",
    "draft_param",
    "page_number",
    "search",
    "search_request",
]
