"""Reading an uploaded file: what every file must be (the importer's right, its size, UTF-8 text
without control characters), a Markdown file read into the draft it describes, and a JSON file
parsed and checked for what needs no database (depth, strings, format, how many clauses, versions
and record rows), before anything is made."""

import json
import re

from django.conf import settings

from accounts.models import User
from codeofconduct.errors import InvalidInput, TooLarge, size_text
from codeofconduct.inputs import CONTROL_CHARACTERS, first_bad_string, json_nesting

from ... import rules
from ...markdown import square_brackets
from ...models import ClauseStatus
from .. import schema
from .plan import ClausePlan, DraftPlan, SectionPlan, VersionPlan

HEADING = re.compile(r"^(#{1,3})\s+(.*?)\s*$")
NUMBERED = re.compile(r"^(\d+)[.)]\s+(.*)$")
CLAUSE_HEADING = re.compile(r"^(?:\d+[.)]\s*)?(.*?)(?:\s+\((proposed|bracketed|agreed)\))?$")


def check_size(user: User, size: int) -> None:
    """The right to import, then the file's size: ``size`` is the whole file's (an upload is read
    only up to one byte past the limit, so what was read would understate it)."""
    rules.check("draft_create", rules.Subject(rules.standing(user)))
    if size > schema.MAX_IMPORT_BYTES:
        raise TooLarge(
            f"The file is {size:,} bytes ({size_text(size)}); the limit is {schema.MAX_IMPORT_BYTES:,} bytes"
            f" ({size_text(schema.MAX_IMPORT_BYTES)}).",
            field="file",
        )


def check_text(user: User, content: bytes) -> str:
    """The file as text, once the importer may import it and it is UTF-8 without control characters."""
    check_size(user, len(content))
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput("The file is not UTF-8 text.", field="file") from exc
    bad = CONTROL_CHARACTERS.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise InvalidInput(
            f"Line {line}: a control character (U+{ord(bad.group()):04X}); remove it and import again.", field="file"
        )
    return text


def check_count(clauses: int, versions: int = 0) -> None:
    if clauses > schema.MAX_IMPORT_CLAUSES:
        raise TooLarge(
            f"The file holds {clauses:,} clauses; one import takes at most {schema.MAX_IMPORT_CLAUSES:,}.",
            field="file",
        )
    if versions > schema.MAX_IMPORT_VERSIONS:
        raise TooLarge(
            f"The file holds {versions:,} clause versions; one import takes at most {schema.MAX_IMPORT_VERSIONS:,}.",
            field="file",
        )


def read_markdown(text: str) -> DraftPlan:
    """``# Title``, an optional summary, ``## Section`` headings, and clauses as ``### N. Title``
    headings followed by their text, or as numbered items (``1. text``). A clause heading may end in
    ``(proposed)`` or ``(bracketed)``; otherwise clauses come in as agreed text."""
    lines = text.splitlines()
    title, summary, sections = None, [], []
    clause = None
    for number, line in enumerate(lines, 1):
        heading = HEADING.match(line)
        item = NUMBERED.match(line.strip())
        if heading and len(heading.group(1)) == 1:
            if title is not None:
                raise InvalidInput(f"Line {number}: a second '# ' title; use '## ' for sections.", field="file")
            title = heading.group(2)
        elif title is None and line.strip():
            raise InvalidInput(f"Line {number}: the file must start with the draft's title as '# Title'.", field="file")
        elif heading and len(heading.group(1)) == 2:
            sections.append({"title": heading.group(2), "clauses": [], "line": number})
            clause = None
        elif heading:  # ### clause heading
            if not sections:
                raise InvalidInput(f"Line {number}: a clause before any '## ' section.", field="file")
            name, status = CLAUSE_HEADING.match(heading.group(2)).groups()
            clause = {"title": name, "status": status, "text": [], "line": number}  # None: not stated
            sections[-1]["clauses"].append(clause)
        elif item and sections and (clause is None or clause.get("numbered")):
            words = item.group(2)
            clause = {
                "title": _title_from(words),
                "status": None,
                "text": [words],
                "line": number,
                "numbered": True,
            }
            sections[-1]["clauses"].append(clause)
        elif clause is not None:
            clause["text"].append(line)
        elif sections:
            if line.strip():
                raise InvalidInput(
                    f"Line {number}: text outside a clause; start it with '### Title' or '1. '.", field="file"
                )
        else:
            summary.append(line)
    if title is None:
        raise InvalidInput("Line 1: the file must start with the draft's title as '# Title'.", field="file")
    if not sections:
        raise InvalidInput(f"Line {len(lines)}: no '## ' section found.", field="file")
    check_count(sum(len(section["clauses"]) for section in sections))
    made, clauses = [], []
    for section in sections:
        made.append(SectionPlan(section["title"]))
        clauses += [_clause(item, made[-1]) for item in section["clauses"]]
    return DraftPlan(title=title, summary="\n".join(summary).strip(), sections=made, clauses=clauses)


def _clause(item: dict, section: SectionPlan) -> ClausePlan:
    """A clause of a Markdown file as the Chair's text: its status as its heading says, bracketed
    when its whole text is in brackets, else agreed unless words in it still are."""
    body = "\n".join(item["text"]).strip()
    if body.startswith("[") and body.endswith("]"):
        body, item["status"] = (
            body[1:-1].strip(),
            ClauseStatus.BRACKETED if item["status"] in (None, "agreed") else item["status"],
        )
    if not body:
        raise InvalidInput(f"Line {item['line']}: clause “{item['title']}” has no text.", field="file")
    if item["status"] is None:  # not stated: agreed, unless words in it are still in brackets
        item["status"] = ClauseStatus.BRACKETED if square_brackets(body) else ClauseStatus.AGREED
    where = f"Line {item['line']}"
    version = VersionPlan(title=item["title"], text=body, status=item["status"], reason="Imported", where=where)
    return ClausePlan(section=section, where=where, versions=[version])


def _title_from(words: str) -> str:
    short = " ".join(words.split()[:8])
    return short if len(short) < len(words) else words


def read_json(text: str) -> dict:
    """The file's JSON, read and checked for what needs no database: depth, strings, format."""
    if json_nesting(text) > settings.MAX_JSON_DEPTH:
        raise InvalidInput(f"The JSON is nested more than {settings.MAX_JSON_DEPTH} levels deep.", field="file")
    data = _parse(text)
    found = first_bad_string(data)
    if found:
        raise InvalidInput(f"{found[0]} {found[1]}.", field="file")
    if not isinstance(data, dict) or data.get("format") != schema.FORMAT:
        raise InvalidInput("format: this is not a draft exported by this platform.", field="file")
    return data


def parts(data: dict) -> tuple[dict, list, dict, list]:
    """The file's draft, sections, record (each of its lists read as one, ``schema.RECORD``) and
    clauses out of the text, counted against the limits before anything is made."""
    given = schema.FILE.read(data, "", ("draft", "sections", "record"))
    meta, sections, record = given["draft"], given["sections"], given["record"] or {}
    outside = record.get("clauses_out_of_text", [])
    clauses = [
        clause
        for index, section in enumerate(sections)
        for clause in schema.SECTION.read(section, f"sections[{index}]", ("clauses",))["clauses"]
    ]
    clauses += outside
    check_count(len(clauses), sum(_versions(clause) for clause in clauses))
    rows = sum(len(v) for v in record.values())
    rows += sum(
        len(schema.SNAPSHOT.read(snapshot, f"record.snapshots[{index}]", ("clauses",))["clauses"])
        for index, snapshot in enumerate(record.get("snapshots", []))
    )
    if rows > schema.MAX_IMPORT_RECORD_ROWS:
        raise TooLarge(
            f"The file's record holds {rows:,} rows; one import takes at most {schema.MAX_IMPORT_RECORD_ROWS:,}.",
            field="file",
        )
    return meta, sections, record, outside


def _versions(clause) -> int:
    """How many versions a clause of the file gives (its history's, else one), as far as counting
    tells: what it holds is checked later."""
    history = clause.get("history") if isinstance(clause, dict) else None
    return (len(history) or 1) if isinstance(history, list) else 1


def _parse(text: str):
    """The file's JSON. A number too long for any count (Python refuses to read past 4,300 digits
    at all), ``NaN`` or ``Infinity`` make the file invalid JSON, not a server error."""

    def whole_number(digits: str) -> int:
        if len(digits.lstrip("-")) > schema.LONGEST_NUMBER:
            raise ValueError(f"a number with {len(digits.lstrip('-')):,} digits")
        return int(digits)

    def constant(name: str):
        raise ValueError(f"{name} is not a JSON number")

    try:
        return json.loads(text, parse_int=whole_number, parse_constant=constant)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"Line {exc.lineno}: not valid JSON ({exc.msg}).", field="file") from exc
    except (ValueError, RecursionError) as exc:
        raise InvalidInput(f"The file is not valid JSON: {exc}.", field="file") from exc
