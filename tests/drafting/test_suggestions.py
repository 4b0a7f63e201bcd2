"""Suggesting on the words (drafting/suggestions.py and ``services.amendment_suggest``): the span
found, carried over to a later version or refused when its words are gone, and applied as an
amendment under every rule of amending."""

import pytest

from codeofconduct.errors import Conflict, InvalidInput, NotAllowed
from drafting import services, suggestions
from drafting.diff import word_diff
from drafting.models import Amendment
from notifications.models import Subscription
from tests.drafting.factories import voting

pytestmark = pytest.mark.django_db

TEXT = "States should not knowingly allow their territory to be used for wrongful acts."
WORDS = "not knowingly allow"
AT = TEXT.index(WORDS)


# --- finding the words -------------------------------------------------------------------------


def test_locate_finds_the_words_across_emphasis_and_line_breaks():
    text = "States **should not**\nknowingly allow it."
    start, end = suggestions.locate(text, "should not knowingly")
    assert text[start:end] == "should not**\nknowingly"


def test_locate_reads_escaped_brackets_as_the_page_shows_them():
    text = "States should take \\[reasonable\\] steps."
    start, end = suggestions.locate(text, "take [reasonable] steps")
    assert text[start:end] == "take \\[reasonable\\] steps"


def test_locate_asks_which_when_the_words_stand_twice():
    text = "States should act. Companies should act."
    with pytest.raises(InvalidInput) as refused:
        suggestions.locate(text, "should act")
    assert "2 times" in refused.value.message and refused.value.field == "quote"
    assert suggestions.locate(text, "should act", occurrence=2) == (text.rindex("should act"), len(text) - 1)
    with pytest.raises(InvalidInput):
        suggestions.locate(text, "must act")


def test_locate_takes_whole_words_and_never_words_in_a_link_address():
    with pytest.raises(InvalidInput):
        suggestions.locate("Acts of aggression are banned.", "Act")  # not the start of "Acts"
    assert suggestions.locate("Another State shall not act.", "not") == (20, 23)  # not "Another"
    text = "See [the rules](https://example.org/rules) and rules apply."
    start, _ = suggestions.locate(text, "rules", 2)  # the second seen on the page, not the address
    assert text[start:].startswith("rules apply")


def test_locate_refuses_a_quote_of_marks_in_time():
    """Marks between words are read one way only: a quote that is not there is refused at once,
    never by backtracking through every way to read a run of marks (the clause is locked meanwhile)."""
    text = "Sign here: " + "__ " * 40 + "date."
    with pytest.raises(InvalidInput):
        suggestions.locate(text, " ".join(["_"] * 26) + " zz")


@pytest.mark.parametrize(
    ("text", "words", "found"),
    [
        ("if x < 3 and y > 2", "3 and y", "3 and y"),  # a comparison is no tag
        ("see <https://un.org> now", "https://un.org", "https://un.org"),  # an autolink shows its address
        ("a \\<tag\\> b", "<tag>", "\\<tag\\>"),
        ("use _private names", "use _private", "use _private"),
        ("5 * 3 = 15", "5 * 3", "5 * 3"),
    ],
)
def test_locate_finds_words_a_reader_sees(text, words, found):
    start, end = suggestions.locate(text, words)
    assert text[start:end] == found


def test_locate_takes_no_part_of_an_identifier_and_a_deletion_keeps_its_underscores():
    with pytest.raises(InvalidInput):
        suggestions.locate("snake_case_name here", "case")
    assert suggestions.replaced("snake_case_name here", 6, 10, "") == "snake__name here"


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("\\" * 200, "\\" * 60 + "x"),
        (" ".join(["_a"] * 2000), " ".join(["_a"] * 40) + " zz"),
        (" ".join(["*a*"] * 2000), " ".join(["a"] * 40) + " zz"),
    ],
)
def test_locate_refuses_what_is_not_there_in_time(text, quote):
    """Each is refused at once; read any other way, each would backtrack for longer than a request."""
    with pytest.raises(InvalidInput):
        suggestions.locate(text, quote)


def test_deleting_emphasised_words_takes_their_marks_too():
    for text, words, left in [
        ("States **shall** not act.", "shall", "States not act."),
        ("States *never* act.", "never", "States act."),
        ("States **shall not** act.", "shall", "States **not** act."),
    ]:
        start, end = suggestions.locate(text, words)
        assert suggestions.replaced_as_shown(text, start, end, "") == left


def test_relocate_carries_the_words_over_what_changed_around_them():
    later = "In all cases, " + TEXT.replace("wrongful", "internationally wrongful")
    start, end = suggestions.relocate(TEXT, later, AT, AT + len(WORDS))
    assert later[start:end] == WORDS and start == AT + len("In all cases, ")


def test_relocate_refuses_words_that_changed():
    later = TEXT.replace("knowingly", "wilfully")
    assert suggestions.relocate(TEXT, later, AT, AT + len(WORDS)) is None
    # Part of a word selected: the whole word must still be there.
    assert suggestions.relocate(TEXT, later, AT + 4, AT + 8) is None


def test_relocate_finds_a_passage_that_moved_when_it_stands_once():
    old = "First, cooperate. Second, do not harm."
    new = "Second, do not harm. First, cooperate. Third, share."
    start = old.index("do not harm")
    moved = suggestions.relocate(old, new, start, start + len("do not harm"))
    assert new[moved[0] : moved[1]] == "do not harm"


def test_words_selected_as_shown_keep_the_emphasis_around_them():
    text = "States **should not** knowingly allow **their territory** to be used."
    cases = [
        ("not knowingly allow", "never allow", "States **should** never allow **their territory** to be used."),
        ("should not knowingly", "never", "States never allow **their territory** to be used."),
        ("allow their", "let", "States **should not** knowingly let **territory** to be used."),
        ("their", "", "States **should not** knowingly allow **territory** to be used."),
    ]
    for quote, replacement, result in cases:
        start, end = suggestions.locate(text, quote)
        assert suggestions.replaced_as_shown(text, start, end, replacement) == result, quote


def test_relocate_does_not_take_the_same_words_elsewhere_for_words_edited_in_place():
    old = "States shall cooperate fully with others."
    new = "States shall cooperate partly with others. Firms cooperate fully."
    start = old.index("cooperate fully")
    assert suggestions.relocate(old, new, start, start + len("cooperate fully")) is None


def test_a_deletion_leaves_no_double_space():
    assert suggestions.replaced(TEXT, AT, AT + 3, "") == TEXT.replace("not ", "")
    end = TEXT.index(" acts.")
    assert suggestions.replaced(TEXT, end + 1, end + 5, "") == TEXT.replace(" acts.", ".")
    assert suggestions.replaced(TEXT, 0, 6, "") == TEXT[7:]


def test_an_excerpt_keeps_the_change_and_a_few_words_around_it():
    long = TEXT + " " + " ".join(f"word{i}" for i in range(20)) + " end."
    ops = word_diff(long, long.replace("knowingly", "wilfully").replace("word10", "term10"))
    cut = suggestions.excerpt(ops, words=3)
    text = "".join(op["text"] for op in cut)
    assert text.startswith("States should not ") and " allow their territory … word7 word8 word9 " in text
    assert text.endswith(" word11 word12 word13 …") and "wrongful" not in text
    assert [op["op"] for op in cut if op["op"] != "equal"] == ["delete", "insert", "delete", "insert"]


# --- the service -------------------------------------------------------------------------------


def _suggest(clause, by, **kwargs):
    values = {"version": 1, "start": AT, "end": AT + len(WORDS), "quote": WORDS, "replacement": "never allow"}
    return services.amendment_suggest(clause_id=clause.id, by=by, **{**values, **kwargs})


def test_the_span_becomes_an_amendment_of_the_whole_text(clause, people, round_):
    amendment = _suggest(clause, people["participant"], rationale="Firmer.")
    assert amendment.text == "States should never allow their territory to be used for wrongful acts."
    assert (amendment.kind, amendment.base_version, amendment.base_text, amendment.round_id) == (
        "modify",
        1,
        TEXT,
        round_.id,
    )
    assert amendment.span == {"version": 1, "start": AT, "end": AT + len(WORDS), "quote": WORDS}
    assert amendment.history.get().history_change_reason == "Amendment submitted"
    assert Subscription.objects.filter(user=people["participant"], clause=clause).exists()  # follows, as amending does


def test_nothing_for_the_words_deletes_them(clause, people, round_):
    amendment = _suggest(clause, people["participant"], start=AT, end=AT + 3, quote="not", replacement="")
    assert amendment.text == TEXT.replace("not ", "")


def test_a_stale_version_is_carried_over_when_the_words_are_still_there(clause, people, round_):
    services.clause_update(clause_id=clause.id, version=1, by=people["moderator"], text="In all cases, " + TEXT)
    amendment = _suggest(clause, people["participant"])
    assert amendment.base_version == 2
    assert amendment.text == "In all cases, States should never allow their territory to be used for wrongful acts."
    assert amendment.span["start"] == AT + len("In all cases, ") and amendment.span["version"] == 2


def test_a_stale_version_whose_words_are_gone_is_a_conflict(clause, people, round_):
    services.clause_update(
        clause_id=clause.id, version=1, by=people["moderator"], text=TEXT.replace("knowingly allow", "permit")
    )
    with pytest.raises(Conflict) as conflict:
        _suggest(clause, people["participant"])
    assert conflict.value.extra["current_version"] == 2
    assert "have changed since version 1" in conflict.value.message
    assert not Amendment.objects.exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"quote": "not knowingly"}, "quote"),  # not the words between start and end
        ({"end": len(TEXT) + 1}, "end"),
        ({"start": -1}, "start"),
        ({"start": AT, "end": AT, "quote": ""}, "quote"),
        ({"replacement": WORDS}, "replacement"),  # no change
        ({"version": 2}, "version"),  # a version the clause does not have yet
    ],
)
def test_bad_spans_are_refused(clause, people, round_, change, field):
    with pytest.raises(InvalidInput) as refused:
        _suggest(clause, people["participant"], **change)
    assert refused.value.field == field
    assert not Amendment.objects.exists()


def test_the_page_sends_the_words_and_the_server_finds_them(clause, people, round_):
    amendment = _suggest(clause, people["participant"], start=None, end=None, quote="  knowingly  allow ")
    assert amendment.text == TEXT.replace("knowingly allow", "never allow")
    assert amendment.span["quote"] == "knowingly allow"


def test_the_rules_of_amending_hold(clause, people, round_):
    with pytest.raises(NotAllowed):
        _suggest(clause, people["observer"])
    voting(round_, people)
    with pytest.raises(Conflict) as frozen:
        _suggest(clause, people["participant"])
    assert frozen.value.extra.get("phase") == "voting"


def test_one_person_has_at_most_so_many_amendments_waiting_on_a_paragraph(clause, people, round_, settings):
    """A hostile pass filed forty suggestions of 20,000 characters on one paragraph, and its pages
    took seconds for every reader."""
    from tests.conftest import client_for

    settings.AMENDMENTS_WAITING_PER_CLAUSE = 3
    participant = people["participant"]
    made = [_suggest(clause, participant, replacement=f"never allow {n}") for n in range(2)]
    made.append(services.amendment_submit(clause_id=clause.id, by=participant, kind="delete"))
    values = {"version": 1, "start": AT, "end": AT + len(WORDS), "quote": WORDS, "replacement": "seldom allow"}
    refused = client_for(participant).post(f"/api/v1/clauses/{clause.id}/suggestions/", values, format="json")
    assert refused.status_code == 409 and "3 amendments waiting" in refused.json()["detail"]
    with pytest.raises(Conflict):
        services.amendment_submit(clause_id=clause.id, by=participant, kind="modify", text="Other words.")
    assert Amendment.objects.filter(author=participant).count() == 3
    services.amendment_withdraw(amendment_id=made[0].id, by=participant)
    assert _suggest(clause, participant, replacement="seldom allow").status == "submitted"
    assert _suggest(clause, people["moderator"], replacement="must not allow").status == "submitted"  # their own count
