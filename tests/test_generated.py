"""Generated columns (the search vectors) are declared on the models and never read into Python
unless asked (codeofconduct/generated.py): every way the code reads a clause, an amendment or a
comment leaves them out, and the database still keeps them current for search."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from drafting.models import Amendment, Clause, Comment
from tests.drafting.factories import AmendmentFactory, ClauseFactory, CommentFactory

pytestmark = pytest.mark.django_db

VECTORS = {"search_vector", "rationale_vector"}


def _vectors_read(statements) -> list[str]:
    return [q["sql"] for q in statements if "vector" in q["sql"].split(" FROM ")[0]]


def test_no_read_of_the_orm_fetches_a_vector(people, section):
    clause = ClauseFactory(section=section, text="States protect critical infrastructure.")
    amendment = AmendmentFactory(clause=clause, author=people["participant"])
    comment = CommentFactory(clause=clause, author=people["participant"])
    clause.text = "States protect the public core of the internet."
    clause.save()
    with CaptureQueriesContext(connection) as seen:
        read = [
            Clause.objects.get(pk=clause.pk),
            Amendment.objects.get(pk=amendment.pk).clause,  # the base manager, for a foreign key
            Comment.objects.get(pk=comment.pk),
            *clause.amendments.all(),
            *clause.history.all(),
            *Clause.history.model.objects.filter(id=clause.pk),
        ]
    assert len(read) == 8
    assert not [row for row in read if VECTORS & set(row.__dict__)]
    assert not _vectors_read(seen.captured_queries)


def test_the_database_keeps_them_current_and_a_vector_is_read_when_asked(section):
    clause = ClauseFactory(section=section, title="Infrastructure", text="States protect <name of State>.")
    read = Clause.objects.get(pk=clause.pk)
    assert "search_vector" in read.get_deferred_fields()
    vector = read.search_vector  # loaded on demand
    assert "'infrastructur':1A" in vector and "'infrastructure':" in vector  # stemmed and as written
    assert "'name':4B" in vector  # <, > and & are spaces, not a tag PostgreSQL's parser would drop
    Clause.objects.filter(pk=clause.pk).update(text="States respect the public core of the internet.")
    vector = Clause.objects.values_list("search_vector", flat=True).get(pk=clause.pk)
    assert "'core'" in vector and "'name'" not in vector
    (earlier,) = clause.history.values_list("search_vector", flat=True)
    assert "'name'" in earlier


def test_a_version_made_an_instance_again_reads_nothing_more(section):
    """``as_instances`` (a text as it stood, the compilation's) is one query for any number of
    versions: the vectors are not history fields, so nothing is fetched per version."""
    clauses = [ClauseFactory(section=section, number=n) for n in range(1, 6)]
    with CaptureQueriesContext(connection) as seen:
        stood = list(Clause.history.filter(id__in=[c.pk for c in clauses]).as_instances())
    assert len(seen) == 1
    assert sorted(c.pk for c in stood) == sorted(c.pk for c in clauses)
    assert all("search_vector" in c.get_deferred_fields() for c in stood)


def test_rows_joined_by_select_related_leave_the_vectors_out_too(people, draft, section):
    from drafting.models import ItemResult
    from drafting.selectors.pages import console_amendments
    from drafting.tally import ballot
    from notifications.models import Subscription
    from tests.drafting.factories import RoundFactory

    round_ = RoundFactory(draft=draft, phase="voting")
    clause = ClauseFactory(section=section, text="States protect critical infrastructure.")
    amendment = AmendmentFactory(clause=clause, round=round_, author=people["participant"])
    CommentFactory(clause=None, amendment=amendment, author=people["participant"])
    Subscription.objects.create(user=people["participant"], clause=clause)
    with CaptureQueriesContext(connection) as seen:
        joined = [
            *Amendment.objects.select_related("clause", "round"),
            *[c.amendment.clause for c in Comment.objects.select_related("clause", "amendment__clause")],
            *ItemResult.objects.select_related("clause", "amendment__clause"),
            *[s.clause for s in Subscription.objects.select_related("clause", "draft")],
            *console_amendments(draft)[0],
            *ballot(round_),
        ]
    assert len(seen) == 7 and joined  # the ballot reads its clauses and its amendments
    assert not _vectors_read(seen.captured_queries)
    (row,) = Amendment.objects.select_related("clause").filter(pk=amendment.pk)
    assert "'infrastructur'" in row.clause.search_vector  # still there when asked
