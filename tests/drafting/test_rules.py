"""The rules table, cell by cell: every action x standing x round phase x item state x ownership.

The expectations are written here a second time, on purpose and in plain terms, so that a changed
rule in ``drafting/rules.py`` fails a cell here. The doors (API and pages) are tested to ask these
rules in ``test_permission_matrix.py`` and ``test_doors.py``.
"""

import itertools

import pytest

from codeofconduct.errors import Conflict, NotAllowed, NotFound
from drafting import rules

A, N, O, U, P, M, ADM = rules.STANDINGS  # anonymous ... admin; U is an unverified participant
MODERATORS = {M, ADM}
PARTICIPANTS = {U, P}
MEMBERS = {O, U, P, M, ADM}
PHASES = rules.PHASES
OK, FORBIDDEN, MISSING, NOT_NOW = "ok", 403, 404, 409
CLAUSE_STATES = ["proposed", "agreed", "bracketed", "rejected", "withdrawn"]
AMENDMENT_STATES = ["submitted", "accepted", "rejected", "withdrawn", "conflicted"]


def moderators_only(s, phase, state, owner, eligible):
    return OK if s in MODERATORS else FORBIDDEN


def view(s, phase, state, owner, eligible):
    return MISSING if state == "members" and s not in MEMBERS else OK


def draft_create(s, phase, state, owner, eligible):
    return OK if s == ADM else FORBIDDEN


def clause_add(s, phase, state, owner, eligible):
    if s in MODERATORS:
        return OK
    if s in PARTICIPANTS:
        return OK if phase == "open" else NOT_NOW
    return FORBIDDEN


def clause_edit(s, phase, state, owner, eligible):
    if s in MODERATORS:
        return OK
    if s in PARTICIPANTS and owner and state == "proposed":
        return OK if phase == "open" else NOT_NOW
    return FORBIDDEN


def clause_reword(s, phase, state, owner, eligible):
    return NOT_NOW if (state, phase) == ("proposed", "voting") else OK


def amend(s, phase, state, owner, eligible):
    if s not in PARTICIPANTS | MODERATORS:
        return FORBIDDEN
    if state in ("rejected", "withdrawn") or phase != "open":
        return NOT_NOW
    return OK


def amendment_withdraw(s, phase, state, owner, eligible):
    if not owner:
        return FORBIDDEN
    return NOT_NOW if state != "submitted" or phase == "voting" else OK


def comment_post(s, phase, state, owner, eligible):
    return OK if s in MEMBERS else FORBIDDEN


def comment_reply(s, phase, state, owner, eligible):
    if s not in MEMBERS:
        return FORBIDDEN
    return NOT_NOW if state == "hidden" and s not in MODERATORS else OK


def comment_edit(s, phase, state, owner, eligible):
    if not owner:
        return FORBIDDEN
    return NOT_NOW if state == "hidden" else OK


def comment_read_hidden(s, phase, state, owner, eligible):
    return MISSING if state == "hidden" and s not in MODERATORS and not owner else OK


def vote(s, phase, state, owner, eligible):
    if s not in PARTICIPANTS:
        return FORBIDDEN
    if phase != "voting" or state not in ("proposed", "submitted"):
        return NOT_NOW
    if s == U or not eligible:
        return FORBIDDEN
    return OK


def round_move(source):
    def move(s, phase, state, owner, eligible):
        if s not in MODERATORS:
            return FORBIDDEN
        return OK if phase == source else NOT_NOW

    return move


def round_edit(s, phase, state, owner, eligible):
    if s not in MODERATORS:
        return FORBIDDEN
    return NOT_NOW if phase == "closed" else OK


def round_change_rules(s, phase, state, owner, eligible):
    if s not in MODERATORS:
        return FORBIDDEN
    return NOT_NOW if phase in ("voting", "closed") else OK


def tallies_see(s, phase, state, owner, eligible):
    return OK if phase == "closed" or state == "tallies_shown" else NOT_NOW


def dispositions_see(s, phase, state, owner, eligible):
    return OK if s in MODERATORS or phase == "closed" else NOT_NOW


def report_see(s, phase, state, owner, eligible):
    return OK if phase == "closed" else NOT_NOW


def join_request(s, phase, state, owner, eligible):
    if state == "members" and s not in MEMBERS:
        return MISSING
    if s == A:
        return FORBIDDEN
    return OK if s in (N, O) else NOT_NOW  # an observer asks to take part as a participant


def join_decide(s, phase, state, owner, eligible):
    if s not in MODERATORS:
        return FORBIDDEN
    return OK if state == "pending" else NOT_NOW


# Co-sponsoring (``drafting/rules_cosponsors.py``): ``owner`` is "speaks for the proposing
# delegation", verified or not; ``verified`` (every standing but U here) is the person's
# delegation's verification. An administrator acts for no delegation, as in voting.
PROPOSAL_STATES = ["chair_proposal", "proposed", "agreed", "withdrawn", "submitted", "accepted", "rejected"]
DELEGATES = {P, U, M}


def _before_an_open_round(state, phase):
    return OK if state in ("proposed", "submitted") and phase == "open" else NOT_NOW


def cosponsor(s, phase, state, owner, eligible):
    if s not in DELEGATES or s == U or owner:
        return FORBIDDEN
    return _before_an_open_round(state, phase)


def cosponsor_withdraw(s, phase, state, owner, eligible):
    if s not in DELEGATES or s == U:
        return FORBIDDEN
    return _before_an_open_round(state, phase)


def cosponsor_decide(s, phase, state, owner, eligible):
    if not owner or s not in DELEGATES or s == U:
        return FORBIDDEN
    return _before_an_open_round(state, phase)


def cosponsorship_set(s, phase, state, owner, eligible):
    return cosponsor_decide(s, phase, state, owner, eligible)


# The live room (``drafting/rules_room.py``): the Chair runs the session; a delegation, as in
# co-sponsoring, asks for the floor while the list is open and withdraws at any time.
def floor_ask(s, phase, state, owner, eligible):
    if s not in DELEGATES or s == U:
        return FORBIDDEN
    return OK if state == "list_open" else NOT_NOW


def floor_withdraw(s, phase, state, owner, eligible):
    return FORBIDDEN if s not in DELEGATES or s == U else OK


# action: (expected, the item states it is asked about)
TABLE = {
    "view": (view, ["public", "members"]),
    "draft_create": (draft_create, [""]),
    "draft_manage": (moderators_only, [""]),
    "member_appoint": (moderators_only, [""]),
    "section_add": (moderators_only, [""]),
    "section_edit": (moderators_only, [""]),
    "snapshot_publish": (moderators_only, [""]),
    "round_create": (moderators_only, [""]),
    "round_console": (moderators_only, [""]),
    "clause_add": (clause_add, [""]),
    "clause_edit": (clause_edit, CLAUSE_STATES),
    "clause_reword": (clause_reword, CLAUSE_STATES),
    "clause_set_status": (moderators_only, CLAUSE_STATES),
    "clause_revert": (moderators_only, CLAUSE_STATES),
    "amend": (amend, CLAUSE_STATES),
    "amendment_withdraw": (amendment_withdraw, AMENDMENT_STATES),
    "comment_post": (comment_post, [""]),
    "comment_reply": (comment_reply, ["visible", "hidden"]),
    "comment_edit": (comment_edit, ["visible", "hidden"]),
    "comment_hide": (moderators_only, ["visible", "hidden"]),
    "comment_restore": (moderators_only, ["visible", "hidden"]),
    "comment_dispose": (moderators_only, ["visible", "hidden"]),
    "translator_appoint": (moderators_only, [""]),
    # Here no one is a translator; test_a_translator_translates_into_their_language_only has them.
    "translate": (moderators_only, [""]),
    "comment_read_hidden": (comment_read_hidden, ["visible", "hidden"]),
    "vote": (vote, CLAUSE_STATES + AMENDMENT_STATES),
    "speak_as_chair": (moderators_only, [""]),
    "round_open": (round_move("scheduled"), [""]),
    "round_start_voting": (round_move("open"), [""]),
    "round_close": (round_move("voting"), [""]),
    "round_close_preview": (round_move("voting"), [""]),
    "vote_remind": (round_move("voting"), [""]),
    "round_edit": (round_edit, [""]),
    "round_change_rules": (round_change_rules, [""]),
    "tallies_see": (tallies_see, ["tallies_hidden", "tallies_shown"]),
    "dispositions_see": (dispositions_see, [""]),
    "report_see": (report_see, [""]),
    "join_request": (join_request, ["public", "members"]),
    "join_decide": (join_decide, ["pending", "approved", "declined"]),
    "cosponsor": (cosponsor, PROPOSAL_STATES),
    "cosponsor_withdraw": (cosponsor_withdraw, PROPOSAL_STATES),
    "cosponsor_decide": (cosponsor_decide, PROPOSAL_STATES),
    "cosponsorship_set": (cosponsorship_set, PROPOSAL_STATES),
    "session_run": (moderators_only, [""]),
    "floor_ask": (floor_ask, ["list_open", "list_closed"]),
    "floor_withdraw": (floor_withdraw, ["list_open", "list_closed"]),
}

ERRORS = {NotAllowed: FORBIDDEN, NotFound: MISSING, Conflict: NOT_NOW}


def _cells(action):
    _, states = TABLE[action]
    for standing, phase, state, owner, eligible in itertools.product(
        rules.STANDINGS, PHASES, states, (False, True), (True, False)
    ):
        if standing == A and owner:
            continue  # an anonymous visitor wrote nothing
        yield standing, phase, state, owner, eligible


def _outcome(action, standing, phase, state, owner, eligible):
    role = rules.PARTICIPANT if standing == U else standing
    subject = rules.Subject(role, phase=phase, state=state, owner=owner, verified=standing != U, eligible=eligible)
    assert subject.standing == standing
    found = rules.refusal(action, subject)
    return OK if found is None else ERRORS[found.error]


def test_every_rule_has_its_row_in_this_table():
    assert set(rules.RULES) == set(TABLE)


@pytest.mark.parametrize("action", sorted(TABLE))
def test_every_cell_of_the_rule(action):
    expected, _ = TABLE[action]
    wrong = [
        (cell, _outcome(action, *cell), expected(*cell))
        for cell in _cells(action)
        if _outcome(action, *cell) != expected(*cell)
    ]
    assert not wrong, f"{action}: {len(wrong)} cells differ, e.g. (standing, phase, state, owner, eligible) {wrong[:5]}"


def test_refusals_say_why_in_the_users_words():
    """Each refusal carries a message for the person, and a 409 says what state or phase stood in the way."""
    for action in TABLE:
        for cell in _cells(action):
            role = rules.PARTICIPANT if cell[0] == U else cell[0]
            subject = rules.Subject(role, phase=cell[1], state=cell[2], owner=cell[3], verified=cell[0] != U)
            found = rules.refusal(action, subject)
            if found is None:
                continue
            assert found.message.endswith((".", "”.")), (action, cell, found.message)
            if found.error is Conflict:
                assert found.extra, (action, cell, "a 409 carries the phase or state it met")


def test_check_raises_the_refusal_and_abilities_ask_the_same_rules():
    observer = rules.Subject(rules.OBSERVER, phase="open", state="agreed")
    with pytest.raises(NotAllowed, match="Only participants and moderators"):
        rules.check("amend", observer)
    assert rules.abilities(observer, "amend", "comment_post") == {"amend": False, "comment_post": True}
    participant = rules.Subject(rules.PARTICIPANT, phase="voting", state="agreed")
    with pytest.raises(Conflict) as refused:
        rules.check("amend", participant)
    assert refused.value.extra == {"phase": "voting"}


def test_a_round_opens_only_while_no_other_round_of_its_draft_is_open_or_voting():
    scheduled = rules.Subject(rules.MODERATOR, phase="scheduled", label="Second reading")
    assert rules.allowed("round_open", scheduled)
    busy = rules.Subject(rules.MODERATOR, phase="scheduled", label="Second reading", other_active="First reading")
    refused = rules.refusal("round_open", busy)
    assert refused.error is Conflict and refused.extra == {"phase": "scheduled"}
    assert refused.message == (
        "Another round of this draft, “First reading”, is open or voting: close it before opening “Second reading”."
    )
    # Who may not move rounds, or a round not scheduled, hears that first.
    assert rules.refusal("round_open", rules.Subject(rules.PARTICIPANT, phase="scheduled", other_active="x")).error is (
        NotAllowed
    )
    assert (
        "can only move to open from scheduled"
        in rules.refusal("round_open", rules.Subject(rules.MODERATOR, phase="open", other_active="x")).message
    )
    # The other moves do not wait for another round: there is none while this one is open or voting.
    assert rules.allowed("round_start_voting", rules.Subject(rules.MODERATOR, phase="open", other_active="x"))


def test_a_translator_translates_into_their_language_only():
    """Whatever their standing or the phase: the appointment decides (``Subject.translates``), and
    without it only moderators translate."""
    for standing, phase in itertools.product((O, U, P), PHASES):
        role = rules.PARTICIPANT if standing == U else standing
        assert rules.allowed("translate", rules.Subject(role, phase=phase, verified=standing != U, translates=True))
        refused = rules.refusal("translate", rules.Subject(role, phase=phase, verified=standing != U))
        assert refused.error is NotAllowed and "translator" in refused.message
    for standing in (A, N):  # an appointment outliving the membership it was given with acts for no one
        refused = rules.refusal("translate", rules.Subject(standing, translates=True))
        assert refused.error is NotAllowed
