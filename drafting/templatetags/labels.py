"""The names people read for the values the database keeps: stakeholder groups, outcomes, effects."""

import re

from django import template
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.models import StakeholderGroup
from codeofconduct.timezones import display

from ..models import Outcome, Phase

register = template.Library()

# The stages export and import jobs record as they go (stored in English, drafting/documents/jobs.py
# and import_jobs.py), read in the reader's language.
JOB_STAGES = {
    gettext_noop("Waiting for a worker"),
    gettext_noop("Starting"),
    gettext_noop("Collecting the text"),
    gettext_noop("Saving"),
    gettext_noop("Ready"),
    gettext_noop("Failed"),
    gettext_noop("Retrying"),
    gettext_noop("Reading the file"),
    gettext_noop("Building the draft, its history and its record"),
    gettext_noop("Refused"),
    gettext_noop("Done"),
}
WRITING_STAGE = re.compile(r"Writing the (\w+) file")

# What closing did to an item, as the results page says it beside the outcome. ``None``: the
# outcome says it all already.
EFFECTS = {
    "agreed": gettext_lazy("The clause is agreed."),
    "adopted in brackets": gettext_lazy(
        "Adopted, but its text still holds square brackets: it stays bracketed until they are settled."
    ),
    "rejected": None,
    "carried over": gettext_lazy("Carried over: decided in a later round."),
    "merged": gettext_lazy("Merged into the clause."),
    "merged three-way": gettext_lazy("Merged into the clause, beside later changes to it."),
    "deleted": gettext_lazy("The clause is deleted."),
    "conflicted": gettext_lazy("Not merged: it conflicts with later changes to the clause."),
    "clause rejected": gettext_lazy("Not merged: the clause was rejected."),
    "clause withdrawn": gettext_lazy("Not merged: the clause was withdrawn."),
}


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


MOVE_LABELS = {
    # Translators: a button moving a consultation round on; "…": a page asks first.
    "open": gettext_lazy("Open…"),
    "start-voting": gettext_lazy("Start voting…"),
    # Translators: a button closing a consultation round; "…": a page asks first.
    "close": gettext_lazy("Close…"),
}


@register.filter
def move_label(move) -> str:
    """A round's next move as its button reads; "…": each asks first."""
    return MOVE_LABELS.get(move, "")


@register.filter
def group_label(value) -> str:
    """``civil_society`` -> "Civil society"."""
    return _label(StakeholderGroup, value)


@register.filter
def group_labels(values) -> str:
    """A list of stakeholder groups as one line: "Government, Civil society"."""
    return ", ".join(_label(StakeholderGroup, value) for value in values or ())


@register.filter
def outcome_label(value) -> str:
    """``no_quorum`` -> "No quorum"."""
    return _label(Outcome, value)


@register.filter
def effect_text(effect, outcome=None) -> str:
    """What closing did to an item, unless its outcome already says so."""
    if not effect:
        return ""
    if effect in EFFECTS:
        return EFFECTS[effect] or ""
    if outcome:
        with translation.override(None):  # the effect is stored in English: compared with the English label
            outcome_words = _label(Outcome, outcome)
        if effect.casefold() == outcome_words.casefold():
            return ""
    return effect[:1].upper() + effect[1:]


def _when(value) -> str:
    return display(value)  # the person's own zone, named, as every time on a page


@register.filter
def round_schedule(round_) -> str:
    """What a round's schedule means in its phase now: "voting opens …", "closed on …"; "" if nothing is due.
    Lower case: it follows the round's title, or a page capitalises it."""
    if round_ is None:
        return ""
    if round_.phase == Phase.SCHEDULED:
        # Translators: a round's schedule, in lower case (it follows the round's title); %(when)s is a date and time.
        return _("opens %(when)s") % {"when": _when(round_.opens_at)} if round_.opens_at else ""
    if round_.phase == Phase.CLOSED:
        return _("closed on %(when)s") % {"when": _when(round_.closed_at)} if round_.closed_at else ""
    parts = []
    if round_.phase == Phase.OPEN and round_.voting_opens_at:
        parts.append(_("voting opens %(when)s") % {"when": _when(round_.voting_opens_at)})
    if round_.closes_at:
        parts.append(_("closes %(when)s") % {"when": _when(round_.closes_at)})
    return " · ".join(parts)


@register.filter
def job_stage(stage: str) -> str:
    """An export's or an import's stage as the reader reads it ("Writing the PDF file")."""
    if match := WRITING_STAGE.fullmatch(stage):
        # Translators: a stage of an export; %(format)s is PDF, DOCX, HTML, MD, JSON or AKN.
        return _("Writing the %(format)s file") % {"format": match.group(1)}
    return _(stage) if stage in JOB_STAGES else stage
