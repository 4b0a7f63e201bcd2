"""Every write to a draft's sections goes through here: a section added (the preamble before the
operative part, UN paragraph style) or changed."""

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min
from django.utils.translation import gettext as _

from accounts.models import User
from codeofconduct.errors import Conflict, InvalidInput
from codeofconduct.history import save_with_history

from .. import rules
from ..models import Draft, Section, SectionKind
from .common import LARGEST_COUNT, choose, clean_text, lock_draft


@transaction.atomic
def section_create(
    *, draft: Draft, title: str, position: int | None = None, kind: str = SectionKind.OPERATIVE, by: User
) -> Section:
    rules.check("section_add", rules.Subject(rules.standing(by, draft)))
    title = clean_text(title, field="title", limit=settings.MAX_TITLE, one_line=True)
    choose(kind, SectionKind, field="kind")
    lock_draft(draft)  # two sections added at once do not take the same place
    if position is None and kind == SectionKind.PREAMBLE:
        position = _end_of_preamble(draft, by=by)
    elif position is None:
        position = (Section.objects.filter(draft=draft).aggregate(m=Max("position"))["m"] or 0) + 1
    _check_position(position)
    _check_preamble_first(draft, kind, position)
    section = Section(draft=draft, title=title, position=position, kind=kind)
    save_with_history(section, by=by, reason="Section added")
    return section


def _end_of_preamble(draft: Draft, *, by: User) -> int:
    """The place for a new preamble section: after the preamble there is, before every operative
    section, which move one place down to make room (each with a history row)."""
    sections = list(Section.objects.select_for_update().filter(draft=draft).order_by("position", "id"))
    preamble = [s.position for s in sections if s.is_preamble]
    operative = [s for s in sections if not s.is_preamble]
    position = (max(preamble) + 1) if preamble else (operative[0].position if operative else 1)
    for later in operative:
        if later.position >= position:
            later.position += 1
            save_with_history(later, by=by, reason="Moved down to make room for a preamble section")
    return position


def _check_preamble_first(draft: Draft, kind: str, position: int, *, section_id: int | None = None) -> None:
    """The preamble reads before the operative part (UN paragraph style): a preamble section may not
    stand after an operative one, nor an operative section before the preamble."""
    others = Section.objects.filter(draft=draft).exclude(pk=section_id)
    if kind == SectionKind.PREAMBLE:
        first_operative = others.exclude(kind=SectionKind.PREAMBLE).aggregate(m=Min("position"))["m"]
        if first_operative is not None and position >= first_operative:
            raise InvalidInput(
                _("The preamble comes before the operative sections: give it a position below %(position)s.")
                % {"position": first_operative},
                field="position",
            )
    else:
        last_preamble = others.filter(kind=SectionKind.PREAMBLE).aggregate(m=Max("position"))["m"]
        if last_preamble is not None and position <= last_preamble:
            raise InvalidInput(
                _("Operative sections come after the preamble: give it a position above %(position)s.")
                % {"position": last_preamble},
                field="position",
            )


@transaction.atomic
def section_update(
    *, section_id: int, by: User, title: str | None = None, position: int | None = None, kind: str | None = None
) -> Section:
    section = Section.objects.select_for_update().select_related("draft").filter(pk=section_id).first()
    if section is None:
        raise InvalidInput(_("No such section."), field="section")
    rules.check("section_edit", rules.Subject(rules.standing(by, section.draft)))
    if title is not None:
        section.title = clean_text(title, field="title", limit=settings.MAX_TITLE, one_line=True)
    if kind is not None and kind != section.kind:
        choose(kind, SectionKind, field="kind")
        if section.clauses.exists():
            # Its paragraphs would change their numbers (OP3 becoming PP5) under everyone citing them.
            raise Conflict(
                _(
                    "This section has clauses: move them to a section of the other kind instead, "
                    "so each takes its number there."
                ),
                field="kind",
            )
        section.kind = kind
    if position is not None:
        _check_position(position)
        section.position = position
    if position is not None or kind is not None:
        _check_preamble_first(section.draft, section.kind, section.position, section_id=section.pk)
    save_with_history(section, by=by, reason="Section changed")
    return section


def _check_position(position: int) -> None:
    if not 0 <= position <= LARGEST_COUNT:
        raise InvalidInput(
            _("Position is a number from 0 to %(largest)s.") % {"largest": f"{LARGEST_COUNT:,}"}, field="position"
        )
