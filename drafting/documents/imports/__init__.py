"""Create a draft from a Markdown file or from a JSON export of another installation.

A malformed file is refused with the line (Markdown) or field (JSON) at fault, and creates nothing:
the whole import is one transaction. An import reads the file into the draft it describes
(``reading``, into ``plan``), checks it against the format ``schema`` declares (``validation``),
then writes it (``writing``, and ``record`` for a JSON file's record).
"""

from django.db import transaction

from accounts.models import User
from codeofconduct.errors import InvalidInput

from ...models import Draft, Visibility
from ..schema import MAX_IMPORT_BYTES
from . import reading, validation, writing
from .reading import check_size
from .record import write_record, write_rounds

__all__ = [
    "MAX_IMPORT_BYTES",
    "check_size",
    "check_upload",
    "check_visibility",
    "draft_import_file",
    "draft_import_json",
    "draft_import_markdown",
]


@transaction.atomic
def draft_import_markdown(*, content: bytes, by: User, visibility: str = Visibility.MEMBERS) -> Draft:
    """A draft from a Markdown file (``reading.read_markdown`` says what it holds), its clauses the
    Chair's text as the importer loads it."""
    plan = reading.read_markdown(reading.check_text(by, content))
    validation.check_clauses(plan.clauses)
    draft = writing.new_draft(plan, by=by, visibility=visibility)
    sections = writing.sections(draft, plan.sections, by=by)
    writing.create_clauses(draft, plan.clauses, sections, by=by)
    return draft


@transaction.atomic
def draft_import_json(*, content: bytes, by: User, visibility: str | None = None, new_symbol: bool = False) -> Draft:
    """Rebuild a draft from this platform's JSON export (format 1 or 2): its sections and clauses,
    each clause's versions with their original dates and authors, and, when the file carries the
    record, its snapshots, rounds, amendments, comments (with dispositions), votes and results.

    The draft keeps its symbol (409 if another draft here holds it, unless ``new_symbol``: then
    the next free one), its Chair's title and its dates.

    People are kept by the names recorded in the file, never matched to accounts here: anyone can
    write "admin" in a file, so every page, answer and document shows such a name as imported
    (``naming.IMPORTED``). A history row keeps the recorded name in ``recorded_by`` and what that
    person spoke for in ``recorded_for`` (the membership history here knows nothing of them), and
    names no account; the Chair's rows stay the Chair's. An amendment, comment, vote, round or snapshot needs an account, so each name the file
    gives becomes a placeholder account of this draft's own (``writing.People``): inactive, with no usable
    password, named "<name> (imported, draft <id>)", which no one can sign up as. Organizations are
    matched by name ignoring case, as signing up does, and otherwise created through the same
    checks; a vote's stakeholder group must be its organization's.
    """
    data = reading.read_json(reading.check_text(by, content))
    plan = validation.json_plan(data, *reading.parts(data))
    draft = writing.new_draft(plan, by=by, visibility=visibility or plan.visibility or Visibility.MEMBERS)
    writing.identity(draft, plan, by=by, new_symbol=new_symbol)
    people = writing.People(by, draft)
    rounds = write_rounds(draft, plan.record.rounds, people)
    sections = writing.sections(draft, plan.sections, by=by)
    writing.owners(plan.clauses, people, rounds)
    organizations = writing.Organizations(by)
    writing.spoke_for(plan.clauses, organizations)
    clauses = writing.create_clauses(draft, plan.clauses, sections, by=by)
    write_record(draft, plan.record, clauses, rounds, people, organizations)
    writing.dates(draft, plan, by=by)
    return draft


def draft_import_file(
    *, name: str, content: bytes, by: User, visibility: str | None = None, new_symbol: bool = False
) -> Draft:
    """Import a file's ``content``: Markdown or JSON by its ``name`` (or its first character)."""
    check_visibility(visibility)
    if _is_json(name, content):
        return draft_import_json(content=content, by=by, visibility=visibility, new_symbol=new_symbol)
    return draft_import_markdown(content=content, by=by, visibility=visibility or Visibility.MEMBERS)


def check_visibility(visibility: str | None) -> None:
    if visibility is not None and visibility not in Visibility.values:
        raise InvalidInput(f"Choose one of: {', '.join(Visibility.values)}.", field="visibility")


def _is_json(name: str, content: bytes) -> bool:
    return name.lower().endswith(".json") or content.lstrip()[:1] == b"{"


def check_upload(user: User, name: str, content: bytes, *, new_symbol: bool = False) -> None:
    """What is refused at once, before a worker takes the file: the person's right to import, the
    size, the encoding, control characters and, for JSON, what reading it tells (depth, strings,
    format, how many clauses, versions and record rows) and a symbol another draft holds."""
    text = reading.check_text(user, content)
    if _is_json(name, content):
        data = reading.read_json(text)
        meta = reading.parts(data)[0]
        if not new_symbol:
            writing.symbol_free(validation.file_symbol(meta), None)
