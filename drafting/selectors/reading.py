"""The hot reads, each in one statement: a clause, a draft's clause list, a draft's page header.

At the peak of a round hundreds of delegates read the same clauses at once. The ORM spends more
time building a query than the database spends answering it, so these reads are written once as
SQL and fetch, together with the item, everything the
answer needs: the reader's role in the draft, the draft's current round and the reader's vote in
it. The rules that decide what the reader may see are still ``drafting.rules``, asked with what
the statement fetched. ``tests/drafting/test_reading.py`` holds them equal to the ORM's answers.
"""

import hashlib
from dataclasses import dataclass

from django.db import connection

from accounts.models import Membership
from accounts.selectors import speaking_for_joins, speaking_for_of, voting_membership_sql
from codeofconduct.errors import NotFound
from codeofconduct.inputs import LARGEST_ID
from codeofconduct.statements import columns, fetch

from .. import rules
from ..models import Amendment, Clause, Counting, Draft, DraftVisit, Phase, Round
from .lookups import no_such

# The rule of a draft's current round, in one place (``selectors.current_round`` runs it too): the
# open or voting one, else the latest closed.
CURRENT_ROUND = """
    SELECT r.id FROM drafting_round r
    WHERE r.draft_id = {draft} AND r.phase <> 'scheduled'
    ORDER BY CASE WHEN r.phase IN ('open', 'voting') THEN 0 ELSE 1 END, r.closed_at DESC, r.id DESC
    LIMIT 1
"""

_ROUND_COLUMNS = (
    "r.id AS round_pk, r.title AS round_title, r.phase AS round_phase, "
    "r.hide_tallies_until_close AS round_hide_tallies, r.voting_rule AS round_voting_rule, "
    "r.closes_at AS round_closes_at, r.opens_at AS round_opens_at, r.voting_opens_at AS round_voting_opens_at, "
    "r.closed_at AS round_closed_at, r.chatham_house AS round_chatham_house, r.counting AS round_counting, "
    "r.eligible_groups AS round_eligible_groups"
)

# The round's columns that need converting from what the database gives.
_ROUND_TYPES = {
    "round_hide_tallies": Round._meta.get_field("hide_tallies_until_close"),
    "round_closes_at": Round._meta.get_field("closes_at"),
    "round_opens_at": Round._meta.get_field("opens_at"),
    "round_voting_opens_at": Round._meta.get_field("voting_opens_at"),
    "round_closed_at": Round._meta.get_field("closed_at"),
    "round_chatham_house": Round._meta.get_field("chatham_house"),
    "round_eligible_groups": Round._meta.get_field("eligible_groups"),
}

_DRAFT_TYPES = {
    **_ROUND_TYPES,
    "visit_seen_at": DraftVisit._meta.get_field("seen_at"),
    "visit_last_viewed_at": DraftVisit._meta.get_field("last_viewed_at"),
}

_CLAUSE_COLUMNS = columns(Clause, "c")

# What the proposer spoke for when proposing, read with the clause (``speaking_for_at_sql``'s rule).
_PROPOSER_COLUMNS, _PROPOSER_JOINS = speaking_for_joins("c.proposer_id", "c.created_at", "proposer")


def reader_vote_joins(round_: str, clause: str) -> str:
    """The joins that find the vote speaking for the reader (``%(user)s``) on the clause ``clause``
    in the round ``round_`` (SQL expressions), in one place: ``pv``, their own, where the round counts
    per person; ``dv``, their delegation's (the organization they vote through), where it counts per
    delegation. A round's votes are all of one kind, so ``COALESCE(pv.choice, dv.choice)`` is the
    reader's vote; each join is one look-up in its own unique index."""
    delegation = voting_membership_sql(
        "SELECT jsonb_array_elements_text(vr.eligible_groups)", user="%(user)s", verified="%(verified)s"
    )
    return f"""
    LEFT JOIN drafting_vote pv ON pv.round_id = {round_} AND pv.voter_id = %(user)s
        AND pv.clause_id = {clause} AND NOT pv.for_delegation
    LEFT JOIN drafting_vote dv ON dv.round_id = {round_} AND dv.clause_id = {clause} AND dv.for_delegation
        AND dv.organization_id = (
            SELECT vm.organization_id FROM drafting_round vr JOIN accounts_membership vm ON vm.id = ({delegation})
            WHERE vr.id = {round_} AND vr.counting = '{Counting.PER_DELEGATION}'
        )
    """  # noqa: S608 - built from this module's constants only


_CLAUSE = f"""
    SELECT {_CLAUSE_COLUMNS}, d.slug AS draft_slug, d.visibility AS draft_visibility, u.username AS proposer_name,
           {_PROPOSER_COLUMNS}, m.role AS reader_role, {_ROUND_COLUMNS}, COALESCE(pv.choice, dv.choice) AS reader_vote
    FROM drafting_clause c
    JOIN drafting_draft d ON d.id = c.draft_id
    LEFT JOIN accounts_user u ON u.id = c.proposer_id
    {_PROPOSER_JOINS}
    LEFT JOIN drafting_draftmembership m ON m.draft_id = c.draft_id AND m.user_id = %(user)s
    LEFT JOIN drafting_round r ON r.id = ({CURRENT_ROUND.format(draft="c.draft_id")})
    {reader_vote_joins("r.id", "c.id")}
    WHERE c.id = %(clause)s
"""  # noqa: S608 - built from this module's constants only

_DRAFT = f"""
    SELECT d.*, m.role AS reader_role, {_ROUND_COLUMNS},
           dv.seen_at AS visit_seen_at, dv.last_viewed_at AS visit_last_viewed_at
    FROM drafting_draft d
    LEFT JOIN drafting_draftmembership m ON m.draft_id = d.id AND m.user_id = %(user)s
    LEFT JOIN drafting_draftvisit dv ON dv.draft_id = d.id AND dv.user_id = %(user)s
    LEFT JOIN drafting_round r ON r.id = ({CURRENT_ROUND.format(draft="d.id")})
    WHERE d.slug = %(slug)s
"""  # noqa: S608 - built from this module's constants only

_CLAUSE_PAGE = f"""
    WITH page AS (
        SELECT c.id, s.position, c.section_id, c.number, c.number_suffix
        FROM drafting_clause c
        JOIN drafting_section s ON s.id = c.section_id
        WHERE c.draft_id = %(draft)s
        ORDER BY s.position, c.section_id, c.number, c.number_suffix
        LIMIT %(limit)s OFFSET %(offset)s
    )
    SELECT {_CLAUSE_COLUMNS}, u.username AS proposer_name, {_PROPOSER_COLUMNS}, COALESCE(pv.choice, dv.choice) AS reader_vote
    FROM page p
    JOIN drafting_clause c ON c.id = p.id
    LEFT JOIN accounts_user u ON u.id = c.proposer_id
    {_PROPOSER_JOINS}
    {reader_vote_joins("%(round)s", "c.id")}
    ORDER BY p.position, p.section_id, p.number, p.number_suffix
"""  # noqa: S608 - built from this module's constants only

# What the rendered text of a draft depends on: its clauses (every save stamps updated_at) and its
# sections (every change writes a history row).
_TEXT_STAMP = """
    SELECT (SELECT COUNT(*) FROM drafting_clause WHERE draft_id = %(draft)s),
           (SELECT MAX(updated_at) FROM drafting_clause WHERE draft_id = %(draft)s),
           (SELECT COUNT(*) FROM drafting_section WHERE draft_id = %(draft)s),
           (SELECT MAX(history_id) FROM drafting_historicalsection WHERE draft_id = %(draft)s),
           (SELECT COUNT(*) || ':' || COALESCE(MAX(t.updated_at)::text, '') FROM drafting_clausetranslation t
              JOIN drafting_clause c ON c.id = t.clause_id WHERE c.draft_id = %(draft)s)
"""


def _check_id(value: int, what: str) -> None:
    """An id no row can have (past a 64-bit column) is not there; the ORM says so, a statement must."""
    if not 0 < value <= LARGEST_ID:
        raise NotFound(no_such(what))


def _reader_id(user) -> int | None:
    return user.pk if user is not None and user.is_authenticated else None


def _round_from(row) -> Round | None:
    if row.round_pk is None:
        return None
    return Round(
        id=row.round_pk,
        draft_id=row.draft_id if isinstance(row, Clause) else row.id,
        title=row.round_title,
        phase=row.round_phase,
        hide_tallies_until_close=row.round_hide_tallies,
        voting_rule=row.round_voting_rule,
        closes_at=row.round_closes_at,
        # The schedule as its phase reads it ("voting opens …", "closed on …").
        opens_at=row.round_opens_at,
        voting_opens_at=row.round_voting_opens_at,
        closed_at=row.round_closed_at,
        chatham_house=row.round_chatham_house,  # who is named for acts of the round (drafting.naming)
        counting=row.round_counting,  # whose vote the reader's is
        eligible_groups=row.round_eligible_groups,
    )


def _seen(user, visibility: str, role: str | None, what: str) -> str:
    """The reader's standing; NotFound when the draft is hidden from them (as ``lookups._visible``)."""
    standing = rules.standing(user, role=role)
    rules.check("view", rules.Subject(standing, state=visibility, label=what))
    return standing


def clause_reading(user, clause_id: int) -> tuple[Clause, str, Round | None, str | None]:
    """``(clause, standing, current round, the reader's vote on it)``; NotFound when hidden."""
    _check_id(clause_id, "clause")
    params = {"clause": clause_id, "user": _reader_id(user), "verified": Membership.Status.VERIFIED}
    rows = fetch(Clause, _CLAUSE, params, typed=_ROUND_TYPES)
    if not rows:
        raise NotFound(no_such("clause"))
    clause = rows[0]
    standing = _seen(user, clause.draft_visibility, clause.reader_role, "clause")
    round_ = _round_from(clause)
    vote = clause.reader_vote if round_ is not None and round_.phase in (Phase.VOTING, Phase.CLOSED) else None
    return clause, standing, round_, vote


def draft_reading(user, slug: str) -> tuple[Draft, str, Round | None]:
    """``(draft, standing, current round)``; NotFound when hidden. The draft carries the reader's
    visit record as ``visit_seen_at`` and ``visit_last_viewed_at`` (None when there is none)."""
    rows = fetch(Draft, _DRAFT, {"slug": slug, "user": _reader_id(user)}, typed=_DRAFT_TYPES)
    if not rows:
        raise NotFound(no_such("draft"))
    draft = rows[0]
    standing = _seen(user, draft.visibility, draft.reader_role, "draft")
    return draft, standing, _round_from(draft)


def clause_page(user, draft: Draft, round_: Round | None, *, limit: int, offset: int) -> list[Clause]:
    """A page of the draft's clauses in reading order (section, number, suffix), each with
    ``proposer_name``, what the proposer spoke for (``proposer_speaking``) and ``reader_vote``."""
    params = {
        "draft": draft.pk,
        "round": round_.pk if round_ is not None and round_.phase in (Phase.VOTING, Phase.CLOSED) else None,
        "user": _reader_id(user),
        "verified": Membership.Status.VERIFIED,
        "limit": limit,
        "offset": offset,
    }
    return fetch(Clause, _CLAUSE_PAGE, params)


def proposer_speaking(clause: Clause):
    """What the proposer of a clause read here (``clause_reading``, ``clause_page``) spoke for when
    proposing: the statement read it with the clause."""
    return speaking_for_of(
        clause.proposer_org_id,
        clause.proposer_org_name,
        clause.proposer_org_country,
        clause.proposer_org_group,
        clause.proposer_verified,
    )


def clause_count(draft: Draft) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM drafting_clause WHERE draft_id = %s", [draft.pk])
        return cursor.fetchone()[0]


def text_stamp(draft: Draft) -> str:
    """Changes whenever anything the rendered text of the draft shows changes."""
    with connection.cursor() as cursor:
        cursor.execute(_TEXT_STAMP, {"draft": draft.pk})
        parts = ":".join(str(part) for part in cursor.fetchone())
    return hashlib.sha256(parts.encode()).hexdigest()[:32]


# What a vote needs to know about its item, in one statement: the item, its draft's visibility
# and the voter's role in that draft.
_VOTE_CLAUSE = f"""
    SELECT {_CLAUSE_COLUMNS}, d.visibility AS draft_visibility, m.role AS reader_role
    FROM drafting_clause c
    JOIN drafting_draft d ON d.id = c.draft_id
    LEFT JOIN drafting_draftmembership m ON m.draft_id = c.draft_id AND m.user_id = %(user)s
    WHERE c.id = %(item)s
"""  # noqa: S608 - built from this module's constants only

_VOTE_AMENDMENT = f"""
    SELECT {columns(Amendment, "a")}, c.draft_id AS draft_id, d.visibility AS draft_visibility, m.role AS reader_role
    FROM drafting_amendment a
    JOIN drafting_clause c ON c.id = a.clause_id
    JOIN drafting_draft d ON d.id = c.draft_id
    LEFT JOIN drafting_draftmembership m ON m.draft_id = c.draft_id AND m.user_id = %(user)s
    WHERE a.id = %(item)s
"""  # noqa: S608 - built from this module's constants only


def vote_item(user, kind: str, item_id: int):
    """``(clause or amendment, its draft as far as a vote needs it, standing)``; NotFound when hidden.

    The draft carries its id and visibility only: what the rules and the round lookup read.
    """
    _check_id(item_id, kind)
    model, sql = (Clause, _VOTE_CLAUSE) if kind == "clause" else (Amendment, _VOTE_AMENDMENT)
    rows = fetch(model, sql, {"item": item_id, "user": _reader_id(user)})
    if not rows:
        raise NotFound(no_such(kind))
    item = rows[0]
    standing = _seen(user, item.draft_visibility, item.reader_role, kind)
    return item, Draft(id=item.draft_id, visibility=item.draft_visibility), standing


@dataclass(frozen=True)
class VotingMembership:
    organization_id: int
    stakeholder_group: str


# The active round, share-locked (see ``active_round``), with the voter's voting
# membership in one of its eligible groups, in one statement. Waiting for the lock, the database reads
# the round again as the close left it, membership and all.
_VOTING_ROUND = f"""
    SELECT r.*, vm.organization_id AS voting_organization_id, vo.stakeholder_group AS voting_group
    FROM drafting_round r
    LEFT JOIN accounts_membership vm ON vm.id = (
        {voting_membership_sql("SELECT jsonb_array_elements_text(r.eligible_groups)")}
    )
    LEFT JOIN accounts_organization vo ON vo.id = vm.organization_id
    WHERE r.draft_id = %s AND r.phase IN ('open', 'voting')
    LIMIT 1
    FOR SHARE OF r
"""  # noqa: S608 - constant SQL, values as parameters


def voting_round(draft: Draft, user) -> tuple[Round | None, VotingMembership | None]:
    """The draft's open or voting round, share-locked, and the person's membership that votes in it
    (``accounts.selectors.voting_membership``'s rule), in one statement."""
    rows = fetch(Round, _VOTING_ROUND, [user.pk, Membership.Status.VERIFIED, draft.pk])
    if not rows:
        return None, None
    round_ = rows[0]
    if round_.voting_organization_id is None:
        return round_, None
    return round_, VotingMembership(round_.voting_organization_id, round_.voting_group)
