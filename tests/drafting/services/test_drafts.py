import pytest

from codeofconduct.errors import Conflict, DomainError, InvalidInput, NotAllowed, TooLarge
from drafting import services
from drafting.models import Clause

pytestmark = pytest.mark.django_db


def test_clause_create_numbers_clauses_in_order_and_renders_once(draft, section, people):
    moderator = people["moderator"]
    first = services.clause_create(draft=draft, section_id=section.id, title="A", text="*one*", by=moderator)
    second = services.clause_create(draft=draft, section_id=section.id, title="B", text="two", by=moderator)
    assert (first.number, second.number) == (1, 2)
    assert first.status == "proposed" and first.version == 1
    assert first.text_html == "<p><em>one</em></p>\n"
    record = first.history.get()
    assert record.history_user == moderator and record.history_change_reason == "Clause proposed"


def test_clause_create_refuses_participants_outside_a_round(draft, section, people):
    with pytest.raises(Conflict) as no_round:
        services.clause_create(draft=draft, section_id=section.id, title="A", text="x", by=people["participant"])
    assert no_round.value.extra == {"phase": "none"}
    with pytest.raises(NotAllowed):
        services.clause_create(draft=draft, section_id=section.id, title="A", text="x", by=people["observer"])
    assert not Clause.objects.exists()


def test_clause_text_limits(draft, section, people, settings):
    with pytest.raises(InvalidInput) as empty:
        services.clause_create(draft=draft, section_id=section.id, title="A", text="   ", by=people["moderator"])
    assert empty.value.field == "text"
    with pytest.raises(TooLarge) as big:
        services.clause_create(
            draft=draft,
            section_id=section.id,
            title="A",
            text="x" * (settings.MAX_CLAUSE_TEXT + 1),
            by=people["moderator"],
        )
    assert big.value.status_code == 413 and "20,000" in big.value.message


def test_clause_update_bumps_version_and_records_who_and_why(clause, people):
    moderator = people["moderator"]
    updated = services.clause_update(
        clause_id=clause.id, version=1, by=moderator, text="New **text**", reason="Editorial"
    )
    assert updated.version == 2 and updated.text_html == "<p>New <strong>text</strong></p>\n"
    newest = clause.history.order_by("-history_id").first()
    assert (newest.version, newest.history_user, newest.history_change_reason) == (2, moderator, "Editorial")


def test_stale_version_is_refused_and_nothing_is_overwritten(clause, people):
    moderator = people["moderator"]
    services.clause_update(clause_id=clause.id, version=1, by=moderator, text="First editor's text")
    with pytest.raises(Conflict) as conflict:
        services.clause_update(clause_id=clause.id, version=1, by=moderator, text="Second editor's text")
    assert conflict.value.extra == {"current_version": 2}
    clause.refresh_from_db()
    assert clause.text == "First editor's text" and clause.version == 2


def test_unchanged_update_makes_no_new_version(clause, people):
    same = services.clause_update(clause_id=clause.id, version=1, by=people["moderator"], text=clause.text)
    assert same.version == 1 and clause.history.count() == 1


def test_revert_brings_back_old_text_as_a_new_version(clause, people):
    moderator = people["moderator"]
    original = clause.text
    services.clause_update(clause_id=clause.id, version=1, by=moderator, text="Changed once")
    services.clause_update(clause_id=clause.id, version=2, by=moderator, text="Changed twice")
    reverted = services.clause_revert(clause_id=clause.id, to_version=1, reason="Back to the agreed text", by=moderator)
    assert reverted.text == original and reverted.version == 4
    assert list(clause.history.order_by("history_id").values_list("version", flat=True)) == [1, 2, 3, 4]
    assert clause.history.order_by("-history_id").first().history_change_reason == (
        "Reverted to version 1: Back to the agreed text"
    )


def test_only_moderators_and_admins_edit_and_revert(clause, people):
    for who in ("participant", "observer", "non_member"):
        with pytest.raises(DomainError) as refused:
            services.clause_update(clause_id=clause.id, version=1, by=people[who], text="mine")
        assert refused.value.status_code in (403, 404)
    clause.refresh_from_db()
    assert clause.version == 1
    services.clause_update(clause_id=clause.id, version=1, by=people["admin"], text="admin's")
