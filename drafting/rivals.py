"""Rivals settled on purpose: a close accepts at most one amendment of each rival set.

Amendments that change the same or adjacent words of a clause (``competing.rival_sets``) cannot
both merge; left to the merge, the second "accepted" one would only be marked conflicted. So the
close settles each set first, as the Chair chooses on the close preview (or through the API):

- ``most_support`` (the default, and what a scheduled close does): of the members that pass their
  own vote, the one with most yes is accepted, then the one with fewest no, then the one submitted
  first (the order the close merges in); the other members end superseded by it. A member its own
  vote rejected stays rejected: that is what happened to it.
- ``carry_over``: every member ends carried over; the next round's opening puts them back on the
  ballot (``services.rounds.round_open``), so the room votes on the set again.
- ``compromise``: the Chair tables a compromise text, a new amendment of the Chair's against the
  clause as it reads before the close, on the next round's ballot; the members end superseded by
  it (one text goes to the next vote, not the set again), those their own vote rejected rejected.

Settling writes nothing: it changes the ballot's tallies in memory (outcome and reason) and says
what becomes of each member, for ``round_close.decide_close``, which the preview and the close share.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from codeofconduct.errors import InvalidInput

from .competing import rival_sets
from .models import Amendment, AmendmentKind, AmendmentStatus, Outcome
from .tally import ItemTally


class RivalChoice(models.TextChoices):
    MOST_SUPPORT = "most_support", gettext_lazy("The one with most support is accepted")
    CARRY_OVER = "carry_over", gettext_lazy("All go to the next round's ballot")
    COMPROMISE = "compromise", gettext_lazy("The Chair puts a compromise text on the next round's ballot")


@dataclass
class RivalSet:
    """Amendments of one clause that change the same or adjacent words, as tallied, in submission order."""

    members: list[ItemTally]
    choice: str = RivalChoice.MOST_SUPPORT
    text: str = ""  # the compromise text, with ``compromise``
    compromise: Amendment | None = None  # the Chair's amendment carrying it (unsaved in a preview)
    winner: ItemTally | None = None  # with ``most_support``, the member accepted, if any
    chair: str = "the Chair"  # the Chair as the draft names it (``Naming.the_chair``), in reasons and notices

    @property
    def Chair(self) -> str:  # noqa: N802 - the same name, at the start of a sentence
        return self.chair[:1].upper() + self.chair[1:]

    @property
    def ids(self) -> list[int]:
        return [m.item.id for m in self.members]

    @property
    def key(self) -> str:
        """How a page's form names the set: "12,13"."""
        return ",".join(str(i) for i in self.ids)

    @property
    def clause(self):
        return self.members[0].item.clause


@dataclass
class Settled:
    """What becomes of a member that is not accepted: its status, the results' effect and the
    words its author is told (after "Your amendment 13 to clause OP3")."""

    status: str
    effect: str
    notice: str


def rivals_on_ballot(counted: list[ItemTally], *, chair: str) -> list[RivalSet]:
    """The rival sets among the tallied ballot's amendments; ``chair``: the Chair as the draft names it."""
    tallies = {t.item.id: t for t in counted if t.kind == "amendment"}
    sets = rival_sets([t.item for t in tallies.values()])
    return [RivalSet([tallies[a.id] for a in s], chair=chair) for s in sets]


def _ids(ids, *, most: int = 20) -> str:
    """ "12, 13, 14"; past ``most`` ids, the first of them and how many more (a message stays short)."""
    ids = list(ids)
    said = ", ".join(str(i) for i in ids[:most])
    return f"{said} and {len(ids) - most:,} more" if len(ids) > most else said


def _ids_said(ids, *, most: int = 20) -> str:
    """``_ids`` in the language of the request, for the refusals people read (``_ids`` is for what is stored)."""
    ids = list(ids)
    said = ", ".join(str(i) for i in ids[:most])
    if len(ids) <= most:
        return said
    more = len(ids) - most
    # Translators: "%(ids)s" is a list of amendment numbers ("12, 13, 14").
    return ngettext("%(ids)s and %(count)s more", "%(ids)s and %(count)s more", more) % {
        "ids": said,
        "count": f"{more:,}",
    }


def choose(sets: list[RivalSet], choices: list[dict] | None, *, round_, by_person: bool) -> None:
    """Give each set the choice made for it in ``choices`` (``[{"amendments": [ids], "choice": ...,
    "text": ...}]``; a set not named keeps ``most_support``). ``by_person``: a person closes (a
    scheduled close cannot table a compromise: the Chair tables it). Refuses (400) ids in no rival
    set of the round, ids that are not exactly one set, a set named twice, and a compromise without
    a text, too long, or the clause's text as it is. A text given with another choice is not used."""
    by_ids = {frozenset(s.ids): s for s in sets}
    on_ballot = {i for s in sets for i in s.ids}
    seen = set()
    for chosen in choices or []:
        ids = list(chosen.get("amendments") or [])
        choice = chosen.get("choice") or RivalChoice.MOST_SUPPORT
        if choice not in RivalChoice.values:
            raise InvalidInput(
                _("Choose one of: %(choices)s.") % {"choices": ", ".join(RivalChoice.values)}, field="rivals"
            )
        if not ids:
            raise InvalidInput(_("Name the amendments of the rival set."), field="rivals")
        rival_set = by_ids.get(frozenset(ids))
        if rival_set is None:
            raise InvalidInput(_no_such_set(ids, sets, on_ballot, round_), field="rivals")
        if rival_set.key in seen:
            raise InvalidInput(
                _("The rival set %(ids)s is chosen for twice.") % {"ids": _ids_said(rival_set.ids)}, field="rivals"
            )
        seen.add(rival_set.key)
        rival_set.choice = choice
        if choice == RivalChoice.COMPROMISE:
            if not by_person:
                raise InvalidInput(_("A compromise is tabled by the Chair: a scheduled close cannot."), field="rivals")
            rival_set.text = _compromise_text(rival_set, chosen.get("text"))


def _no_such_set(ids: list, sets: list[RivalSet], on_ballot: set, round_) -> str:
    """Why ``ids`` name no rival set of the round, and which sets it has."""
    listed = "; ".join(_ids_said(s.ids) for s in sets[:10])
    if not sets:
        listed = pgettext("no rival sets", "none")
    elif len(sets) > 10:
        # Translators: "%(sets)s" lists rival sets, each a list of amendment numbers ("12, 13; 15, 16").
        listed = ngettext("%(sets)s; and %(count)s more", "%(sets)s; and %(count)s more", len(sets) - 10) % {
            "sets": listed,
            "count": len(sets) - 10,
        }
    strangers = [i for i in ids if i not in on_ballot]
    if strangers:
        return _("Amendment %(ids)s is in no rival set of “%(round)s”; its rival sets are: %(sets)s.") % {
            "ids": _ids_said(strangers),
            "round": round_.title,
            "sets": listed,
        }
    return _("Amendments %(ids)s are not one rival set of “%(round)s”; its rival sets are: %(sets)s.") % {
        "ids": _ids_said(ids),
        "round": round_.title,
        "sets": listed,
    }


def _compromise_text(rival_set: RivalSet, text: str | None) -> str:
    text = (text or "").strip()
    limit = settings.MAX_CLAUSE_TEXT
    ids = _ids_said(rival_set.ids)
    if not text:
        raise InvalidInput(
            _("The compromise text for amendments %(ids)s is empty: write the text the Chair puts on the next ballot.")
            % {"ids": ids},
            field="rivals",
        )
    if len(text) > limit:
        raise InvalidInput(
            _("The compromise text for amendments %(ids)s is %(length)s characters; the limit is %(limit)s.")
            % {"ids": ids, "length": f"{len(text):,}", "limit": f"{limit:,}"},
            field="rivals",
        )
    if text == rival_set.clause.text.strip():
        raise InvalidInput(
            _("The compromise text for amendments %(ids)s is the clause's current text.") % {"ids": ids},
            field="rivals",
        )
    return text


def compromise_amendment(rival_set: RivalSet, round_, by) -> Amendment:
    """The Chair's amendment carrying ``rival_set``'s compromise text, against the clause as it read
    when the Chair wrote it (before the close), on the next round's ballot. Unsaved."""
    clause = rival_set.clause
    return Amendment(
        clause=clause,
        round=round_,
        kind=AmendmentKind.MODIFY,
        text=rival_set.text,
        rationale=f"A compromise between amendments {_ids(rival_set.ids)}, tabled by {rival_set.chair} at the close of "
        f"{round_.title}.",
        base_version=clause.version,
        base_text=clause.text,
        status=AmendmentStatus.SUBMITTED,
        author=by,
        organization=None,
        as_chair=True,
    )


def _score(t: ItemTally) -> str:
    return f"{t.totals['yes']} for, {t.totals['no']} against"


def settle(rival_set: RivalSet) -> dict[int, Settled]:
    """Settle one set as chosen: ``{amendment id: Settled}`` for each member that is not accepted
    and not left to its own vote, its tally's outcome and reason changed to say so."""
    members, ids = rival_set.members, rival_set.ids
    named = f"the amendments changing the same or adjacent words ({_ids(ids)})"
    result: dict[int, Settled] = {}
    if rival_set.choice == RivalChoice.CARRY_OVER:
        for m in members:
            others = [i for i in ids if i != m.item.id]
            m.outcome = Outcome.CARRIED_OVER
            m.reason = f"{m.reason} {rival_set.Chair} carried it to the next round's ballot with {named}."
            result[m.item.id] = Settled(
                AmendmentStatus.CARRIED_OVER,
                "carried over to the next round",
                f"goes on the ballot of the next round with its rivals (amendment {_ids(others)}), "
                f"as {rival_set.chair} chose at the close",
            )
        return result
    if rival_set.choice == RivalChoice.COMPROMISE:
        k = rival_set.compromise.id if rival_set.compromise is not None else None
        text = f"amendment {k}" if k else "a new amendment"
        for m in members:
            if m.outcome == Outcome.REJECTED:
                continue
            m.outcome = Outcome.SUPERSEDED
            m.reason = (
                f"{m.reason} {rival_set.Chair} puts a compromise text ({text}) on the next round's ballot "
                f"in place of {named}."
            )
            result[m.item.id] = Settled(
                AmendmentStatus.SUPERSEDED,
                f"superseded by amendment {k}" if k else "superseded by a compromise",
                f"was superseded: {rival_set.chair} puts a compromise text ({text}) on the next round's ballot "
                "in place of it and its rivals, as decided at the close",
            )
        return result
    passed = [m for m in members if m.outcome == Outcome.ACCEPTED]
    if not passed:
        return result  # nothing to settle: each member's own vote decides it
    order = {m.item.id: i for i, m in enumerate(members)}
    winner = min(passed, key=lambda m: (-m.totals["yes"], m.totals["no"], order[m.item.id]))
    rival_set.winner = winner
    tied = [
        m
        for m in passed
        if m is not winner
        and (m.totals["yes"], m.totals["no"])
        == (
            winner.totals["yes"],
            winner.totals["no"],
        )
    ]
    winner.reason = f"{winner.reason} Of {named}, it has the most support" + (
        f" (tied with amendment {_ids(m.item.id for m in tied)} and submitted first)." if tied else "."
    )
    for m in members:
        if m is winner or m.outcome == Outcome.REJECTED:
            continue
        tie = (m.totals["yes"], m.totals["no"]) == (winner.totals["yes"], winner.totals["no"])
        why = (
            f"ties with it at {_score(winner)} and was submitted first"
            if tie
            else f"has more support ({_score(winner)})"
        )
        m.outcome = Outcome.SUPERSEDED
        m.reason = (
            f"{m.reason} Amendment {winner.item.id} changes the same or adjacent words and {why}; "
            "only one of them can be accepted."
        )
        result[m.item.id] = Settled(
            AmendmentStatus.SUPERSEDED,
            f"superseded by amendment {winner.item.id}",
            f"was superseded by amendment {winner.item.id} ({_score(winner)}), which had the most support of them",
        )
    return result
