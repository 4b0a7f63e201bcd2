"""Create a draft from a Markdown file or from a JSON export of another installation.

A malformed file is refused with the line (Markdown) or field (JSON) at fault, and creates nothing:
the whole import is one transaction.
"""

import copy
import json
import re
import unicodedata
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.identity import INVISIBLE, normalise, organization_name_key
from accounts.models import Organization, StakeholderGroup, User
from accounts.services import organization_create
from codeofconduct.errors import Conflict, DomainError, InvalidInput, TooLarge, size_text
from codeofconduct.history import pending_history, save_with_history, write_with_history
from codeofconduct.inputs import CONTROL_CHARACTERS, first_bad_string, json_nesting
from notifications.services import follow

from .. import rules
from ..markdown import render_markdown, square_brackets
from ..models import (
    OUT_OF_THE_TEXT,
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    Clause,
    ClauseStatus,
    Comment,
    CommentDisposition,
    Disposition,
    Draft,
    DraftMembership,
    ItemResult,
    Outcome,
    Phase,
    Role,
    Round,
    Section,
    SectionKind,
    Snapshot,
    SnapshotClause,
    Stance,
    Visibility,
    Vote,
    VoteChoice,
    VotingRule,
    paragraph_ref,
)
from ..naming import placeholder_username
from ..services.comments import MAX_COMMENT, MAX_QUOTE
from ..services.common import LARGEST_COUNT, clean_text
from ..services.drafts import draft_update, new_draft, section_create, symbol_holder

# Checked before any work starts, so no import holds a web worker for more than a few seconds
# (README, "Reliability and security", has the measured figures).
MAX_IMPORT_BYTES = 1_000_000
MAX_IMPORT_CLAUSES = 2_000
MAX_IMPORT_VERSIONS = 10_000  # clause versions in a JSON file, first versions included
# People one import names (each becomes a placeholder account): 9,000 once held a request for 91 s.
MAX_IMPORT_PEOPLE = 1_000
HEADING = re.compile(r"^(#{1,3})\s+(.*?)\s*$")
NUMBERED = re.compile(r"^(\d+)[.)]\s+(.*)$")
CLAUSE_HEADING = re.compile(r"^(?:\d+[.)]\s*)?(.*?)(?:\s+\((proposed|bracketed|agreed)\))?$")


def check_size(user: User, size: int) -> None:
    """The right to import, then the file's size: ``size`` is the whole file's (an upload is read
    only up to one byte past the limit, so what was read would understate it)."""
    rules.check("draft_create", rules.Subject(rules.standing(user)))
    if size > MAX_IMPORT_BYTES:
        raise TooLarge(
            f"The file is {size:,} bytes ({size_text(size)}); the limit is {MAX_IMPORT_BYTES:,} bytes"
            f" ({size_text(MAX_IMPORT_BYTES)}).",
            field="file",
        )


def _check(user: User, content: bytes) -> str:
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


def _check_count(clauses: int, versions: int = 0) -> None:
    if clauses > MAX_IMPORT_CLAUSES:
        raise TooLarge(
            f"The file holds {clauses:,} clauses; one import takes at most {MAX_IMPORT_CLAUSES:,}.", field="file"
        )
    if versions > MAX_IMPORT_VERSIONS:
        raise TooLarge(
            f"The file holds {versions:,} clause versions; one import takes at most {MAX_IMPORT_VERSIONS:,}.",
            field="file",
        )


def _new_draft(*, title: str, summary: str, visibility: str, by: User) -> Draft:
    """The imported draft, with the person who imported it as its moderator."""
    draft = new_draft(title=title, summary=summary, visibility=visibility, by=by)
    membership = DraftMembership(draft=draft, user=by, role=Role.MODERATOR)
    save_with_history(membership, by=by, reason="Imported the draft")
    follow(user=by, draft=draft)
    return draft


@transaction.atomic
def draft_import_markdown(*, content: bytes, by: User, visibility: str = Visibility.MEMBERS) -> Draft:
    """``# Title``, an optional summary, ``## Section`` headings, and clauses as ``### N. Title``
    headings followed by their text, or as numbered items (``1. text``). A clause heading may end in
    ``(proposed)`` or ``(bracketed)``; otherwise clauses come in as agreed text."""
    text = _check(by, content)
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
    _check_count(sum(len(section["clauses"]) for section in sections))
    draft = _new_draft(title=title, summary="\n".join(summary).strip(), visibility=visibility, by=by)
    plan = []
    for section in sections:
        created = section_create(draft=draft, title=section["title"], by=by)
        for item in section["clauses"]:
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
            version = {"title": item["title"], "text": body, "status": item["status"], "reason": "Imported"}
            plan.append({"section": created, "where": f"Line {item['line']}", "versions": [version]})
    _create_clauses(draft, plan, by=by)
    return draft


def _title_from(words: str) -> str:
    short = " ".join(words.split()[:8])
    return short if len(short) < len(words) else words


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
    gives becomes a placeholder account of this draft's own (``_People``): inactive, with no usable
    password, named "<name> (imported, draft <id>)", which no one can sign up as. Organizations are
    matched by name ignoring case, as signing up does, and otherwise created through the same
    checks; a vote's stakeholder group must be its organization's.
    """
    data = _read_json(_check(by, content))
    meta, sections, record, outside = _parts(data)
    format_version = data.get("format_version")
    if isinstance(format_version, bool) or not isinstance(format_version, int) or format_version not in FORMAT_VERSIONS:
        raise InvalidInput(
            f"format_version: {str(format_version)[:20]!r} is not a format this installation reads"
            f" ({', '.join(map(str, FORMAT_VERSIONS))}); export the draft again from an installation of the same"
            " version, or update this one.",
            field="file",
        )
    keeps_versions = format_version >= 2
    draft = _new_draft(
        title=_need(meta, "title", "draft"),
        summary=meta.get("summary") or "",
        visibility=visibility or meta.get("visibility") or Visibility.MEMBERS,
        by=by,
    )
    _identity(draft, meta, by=by, new_symbol=new_symbol)
    people = _People(by, draft)
    owners = _owners(record)
    rounds = _rounds(draft, _list(record, "rounds", "record"), people)
    plan, made_sections = [], {}
    for s_index, section in enumerate(sections):
        path = f"sections[{s_index}]"
        created = _section(draft, section, path, by=by)
        made_sections.setdefault((created.title, created.kind), created)
        for c_index, clause in enumerate(_need(section, "clauses", path, list)):
            plan.append(_clause_plan(clause, f"{path}.clauses[{c_index}]", created, keeps_versions))
    for c_index, clause in enumerate(outside):
        path = f"record.clauses_out_of_text[{c_index}]"
        where = _need(clause, "section", path, dict)
        kind = where.get("kind") or SectionKind.OPERATIVE
        created = made_sections.get((where.get("title"), kind))
        if created is None:
            created = _section(draft, where, f"{path}.section", by=by)
            made_sections[(created.title, created.kind)] = created
        plan.append(_clause_plan(clause, path, created, keeps_versions))
    for entry in plan:
        owner = owners.get(entry["file_id"])
        if owner is None:  # a file without the record: the importer loads the Chair's text
            entry["proposer"], entry["as_chair"], entry["round"] = by, True, None
            continue
        name = owner.get("proposer")
        entry["proposer"] = people.person(name, "record.clause_owners") if name else None
        # The Chair's proposal stays the Chair's (a file from before ``as_chair``: the one with no proposer).
        as_chair = owner.get("as_chair")
        entry["as_chair"] = as_chair if isinstance(as_chair, bool) else not name
        entry["round"] = rounds.get(owner.get("round"))
    organizations = _Organizations(by)
    for entry in plan:
        for version in entry["versions"]:
            _spoke_for(version, organizations)
    made = _create_clauses(draft, plan, by=by)
    _record(draft, record, made, rounds, people, organizations)
    _dates(draft, meta, by=by)
    return draft


def _read_json(text: str) -> dict:
    """The file's JSON, read and checked for what needs no database: depth, strings, format."""
    if json_nesting(text) > settings.MAX_JSON_DEPTH:
        raise InvalidInput(f"The JSON is nested more than {settings.MAX_JSON_DEPTH} levels deep.", field="file")
    data = _parse(text)
    found = first_bad_string(data)
    if found:
        raise InvalidInput(f"{found[0]} {found[1]}.", field="file")
    if not isinstance(data, dict) or data.get("format") != "codeofconduct-draft":
        raise InvalidInput("format: this is not a draft exported by this platform.", field="file")
    return data


def _parts(data: dict) -> tuple[dict, list, dict, list]:
    """The file's draft, sections, record and clauses out of the text, counted against the limits
    before anything is made."""
    meta = _need(data, "draft", "$", dict)
    sections = _need(data, "sections", "$", list)
    record = data.get("record") or {}
    if not isinstance(record, dict):
        raise InvalidInput("$.record: not an object.", field="file")
    outside = _list(record, "clauses_out_of_text", "record")
    clauses = [c for section in sections if isinstance(section, dict) for c in section.get("clauses") or []]
    clauses += outside
    _check_count(
        len(clauses),
        sum(
            len(c.get("history") or [None]) if isinstance(c, dict) and isinstance(c.get("history"), list) else 1
            for c in clauses
        ),
    )
    rows = sum(len(v) for v in record.values() if isinstance(v, list))
    rows += sum(len(s.get("clauses") or []) for s in record.get("snapshots") or [] if isinstance(s, dict))
    if rows > MAX_IMPORT_RECORD_ROWS:
        raise TooLarge(
            f"The file's record holds {rows:,} rows; one import takes at most {MAX_IMPORT_RECORD_ROWS:,}.",
            field="file",
        )
    return meta, sections, record, outside


MAX_IMPORT_RECORD_ROWS = 50_000  # snapshot clauses, amendments, comments, votes and results together
FORMAT_VERSIONS = (1, 2)  # data.FORMAT_VERSION and the ones before it
LONGEST_NUMBER = 20  # digits; no count or id in a file is longer


def _parse(text: str):
    """The file's JSON. A number too long for any count (Python refuses to read past 4,300 digits
    at all), ``NaN`` or ``Infinity`` make the file invalid JSON, not a server error."""

    def whole_number(digits: str) -> int:
        if len(digits.lstrip("-")) > LONGEST_NUMBER:
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


def _need(container, key, path, kind=str):
    value = container.get(key) if isinstance(container, dict) else None
    if not isinstance(value, kind) or (kind is str and not value.strip()):
        raise InvalidInput(f"{path}.{key}: missing or not a {kind.__name__}.", field="file")
    return value


def _list(container: dict, key: str, path: str) -> list:
    value = container.get(key) or []
    if not isinstance(value, list):
        raise InvalidInput(f"{path}.{key}: not a list.", field="file")
    return value


def _int(container: dict, key: str, path: str, *, default=None, required=False) -> int | None:
    value = container.get(key, default)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= LARGEST_COUNT:
        raise InvalidInput(f"{path}.{key}: not a whole number from 0.", field="file")
    return value


def _when(container: dict, key: str, path: str, *, required: bool = False, scheduled: bool = False) -> datetime | None:
    """A date and time from the file (ISO 8601, as the export writes them; naive ones are UTC), in
    UTC. Something that happened is dated from 1970 to now (give or take ``CLOCK_SKEW`` between two
    installations' clocks); a ``scheduled`` one (a round's planned opening or closing) may be later,
    though not past ``LATEST_SCHEDULED``, so every date can still be shown in any time zone."""
    value = container.get(key)
    if value is None and not required:
        return None
    try:
        moment = parse_datetime(value) if isinstance(value, str) else None
        if moment is not None:
            moment = moment.astimezone(UTC) if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)
    except (ValueError, OverflowError) as exc:
        raise InvalidInput(f"{path}.{key}: {value[:40]!r} is not a date and time that exists.", field="file") from exc
    if moment is None:
        raise InvalidInput(f"{path}.{key}: not a date and time.", field="file")
    if moment < EARLIEST:
        raise InvalidInput(f"{path}.{key}: {value[:40]!r} is before 1970.", field="file")
    latest = LATEST_SCHEDULED if scheduled else timezone.now() + CLOCK_SKEW
    if moment > latest:
        when = "after 2999" if scheduled else "in the future"
        raise InvalidInput(f"{path}.{key}: {value[:40]!r} is {when}.", field="file")
    return moment


EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST_SCHEDULED = datetime(3000, 1, 1, tzinfo=UTC)
CLOCK_SKEW = timedelta(minutes=15)  # how far ahead another installation's clock may run


def _choice(container: dict, key: str, path: str, choices, default=None) -> str:
    value = container.get(key, default)
    if value not in choices.values:
        raise InvalidInput(f"{path}.{key}: unknown value {value!r}.", field="file")
    return value


def _checked(path: str, clean, *args, **kwargs):
    """A service check run on a value from the file, its fault named by the file's path."""
    try:
        return clean(*args, **kwargs)
    except DomainError as exc:
        raise InvalidInput(f"{path}: {exc.field or 'value'}: {exc.message}", field="file") from exc


class _People:
    """Everyone the file names, as placeholder accounts of the imported draft's own.

    A name in the file is only what another installation recorded (or what anyone typed into the
    file), so it is never matched to an account here. Each name (ignoring case, as user names do)
    becomes one account: inactive, with no usable password, not staff, named "<name> (imported,
    draft <id>)". No one can sign up under such a name (user names hold no spaces or brackets), so
    it can be mistaken for no one here, and an import never speaks for a person here.
    """

    def __init__(self, importer: User, draft: Draft):
        self.importer, self.draft = importer, draft
        self.made: dict[str, User] = {}

    def person(self, name, path: str) -> User:
        name = _recorded_name(name, path)
        key = name.casefold()
        if key not in self.made:
            if len(self.made) >= MAX_IMPORT_PEOPLE:
                raise TooLarge(
                    f"The file names more than {MAX_IMPORT_PEOPLE:,} people; one import takes at most "
                    f"{MAX_IMPORT_PEOPLE:,}.",
                    field="file",
                )
            self.made[key] = self._placeholder(name)
        return self.made[key]

    def _placeholder(self, name: str) -> User:
        taken = {user.username.casefold() for user in self.made.values()}
        for attempt in range(1, 100):
            username = placeholder_username(name, self.draft.pk, attempt, limit=USERNAME_LIMIT)
            if username.casefold() not in taken and not User.objects.filter(username__iexact=username).exists():
                break
        user = User(username=username, is_active=False, is_staff=False, is_superuser=False)
        user.set_unusable_password()
        save_with_history(user, by=self.importer, reason=f"Placeholder for {name[:100]}, named in an imported draft")
        return user


USERNAME_LIMIT = 150  # accounts.User.username


def _recorded_name(value, path: str) -> str:
    """A person's name as the file records it: a visible line of at most 150 characters."""
    name = normalise(value) if isinstance(value, str) else ""
    if not name or len(name) > USERNAME_LIMIT:
        raise InvalidInput(f"{path}: not a name (a user name of at most {USERNAME_LIMIT} characters).", field="file")
    hidden = next((c for c in name if c != " " and unicodedata.category(c) in INVISIBLE), None)
    if hidden is not None:
        raise InvalidInput(f"{path}: a name holds an invisible character (U+{ord(hidden):04X}).", field="file")
    return name


def _identity(draft: Draft, meta: dict, *, by: User, new_symbol: bool) -> None:
    """The document identity the file gives (format 2) and the date the draft was created.

    The symbol names the document on everything circulated, so it is kept; one another draft here
    holds is refused (409, ``_symbol_free``), unless the person asked for a new one: then the draft
    keeps the one ``new_draft`` gave it, the next free symbol, as any new draft gets."""
    symbol = _file_symbol(meta)
    fields = {}
    if symbol and not (new_symbol and symbol_holder(symbol, draft) is not None):
        _symbol_free(symbol, draft)
        fields["symbol"] = symbol
    for key in ("original_language", "distribution", "issuing_body", "chair"):
        if meta.get(key) not in (None, ""):
            if not isinstance(meta[key], str):
                raise InvalidInput(f"draft.{key}: not a string.", field="file")
            fields[key] = meta[key]
    _checked("draft", draft_update, draft=draft, by=by, **fields)


def _dates(draft: Draft, meta: dict, *, by: User) -> None:
    """The draft's dates as the file gives them (its creation, and its last change, which a
    document of the current text is dated by): ``auto_now`` stamped the import's moment."""
    created, changed = _when(meta, "created_at", "draft"), _when(meta, "updated_at", "draft")
    draft.created_at = created or draft.created_at
    draft.updated_at = changed or draft.updated_at
    reason = "Imported with its original dates"
    record = pending_history(draft, by=by, reason=reason, when=timezone.now())
    write_with_history(Draft, [draft], [record], fields=["created_at", "updated_at"])


def _file_symbol(meta: dict) -> str:
    symbol = meta.get("symbol")
    if symbol is not None and not isinstance(symbol, str):
        raise InvalidInput("draft.symbol: not a string.", field="file")
    return (symbol or "").strip()


def _symbol_free(symbol: str, draft: Draft | None) -> None:
    """Refuse a symbol another draft here holds: two documents would carry one symbol."""
    holder = symbol_holder(symbol, draft) if symbol else None
    if holder is not None:
        raise Conflict(
            f"The symbol {symbol} is held here by the draft “{holder.title}” ({holder.slug}). Import it with a new"
            " symbol to give the copy the next free one, or change that draft's symbol first.",
            symbol=symbol,
            held_by=holder.slug,
        )


def _section(draft: Draft, section, path: str, *, by: User) -> Section:
    kind = _choice(section, "kind", path, SectionKind, default=SectionKind.OPERATIVE)
    return _checked(path, section_create, draft=draft, title=_need(section, "title", path), kind=kind, by=by)


def _owners(record: dict) -> dict:
    owners = {}
    for index, owner in enumerate(_list(record, "clause_owners", "record")):
        if not isinstance(owner, dict):
            raise InvalidInput(f"record.clause_owners[{index}]: not an object.", field="file")
        owners[owner.get("clause")] = owner
    return owners


def _clause_plan(clause, c_path: str, section: Section, keeps_versions: bool) -> dict:
    """A clause of the file, checked: its versions in order, each with its author and date."""
    if not isinstance(clause, dict):
        raise InvalidInput(f"{c_path}: not an object.", field="file")
    history = clause.get("history") or [
        {"title": clause.get("title"), "text": clause.get("text"), "status": clause.get("status", "agreed")}
    ]
    if not isinstance(history, list):
        raise InvalidInput(f"{c_path}.history: not a list.", field="file")
    versions, status, seen = [], ClauseStatus.AGREED, None
    for v_index, version in enumerate(history):
        v_path = f"{c_path}.history[{v_index}]" if clause.get("history") else c_path
        if not isinstance(version, dict):
            raise InvalidInput(f"{v_path}: not an object.", field="file")
        number = _int(version, "version", v_path)
        if not keeps_versions:
            if number is not None and number == seen:
                continue  # format 1: a renumbering is recorded under the version it left unchanged
            seen, number = number, None
        elif number is None or number < 1 or (versions and number < versions[-1]["version"]):
            raise InvalidInput(f"{v_path}.version: versions go up from 1.", field="file")
        status = version.get("status", status)
        if status not in ClauseStatus.values:
            raise InvalidInput(f"{v_path}.status: unknown status {status!r}.", field="file")
        reason = version.get("reason")
        author = version.get("changed_by")
        spoke = version.get("speaking_for")
        if spoke is not None and not isinstance(spoke, dict):
            raise InvalidInput(f"{v_path}.speaking_for: not an object.", field="file")
        as_chair = spoke is not None and spoke.get("chair") is True  # the Chair's act, not a person's
        if author is not None and not as_chair:
            author = _recorded_name(author, f"{v_path}.changed_by")
        versions.append(
            {
                "title": _need(version, "title", v_path),
                "text": _need(version, "text", v_path),
                "status": status,
                "reason": _reason(reason, keeps_versions),
                "where": v_path,
                "version": number or len(versions) + 1,
                "number": _int(version, "number", v_path) if keeps_versions else None,
                "number_suffix": _int(version, "number_suffix", v_path) if keeps_versions else None,
                "recorded_by": "" if as_chair else author or "",
                "as_chair": as_chair,
                "speaking_for": None if as_chair else spoke,
                "organization": None if as_chair else version.get("organization"),
                "when": _when(version, "changed_at", v_path),
            }
        )
    rationale = clause.get("rationale") or ""
    if not isinstance(rationale, str):
        raise InvalidInput(f"{c_path}.rationale: not a string.", field="file")
    return {
        "section": section,
        "where": c_path,
        "versions": versions,
        "rationale": rationale,
        "file_id": clause.get("id"),
        "number": _int(clause, "number", c_path) if keeps_versions else None,
        "number_suffix": _int(clause, "number_suffix", c_path, default=0) if keeps_versions else 0,
    }


def _spoke_for(version: dict, organization: "_Organizations") -> None:
    """What the author of a version the file names spoke for, as the file recorded it, kept on its
    history row (``RecordedAuthor``): the author has no account here, so no membership history can
    tell it. The organization is matched or made as an amendment's is; where the file withheld it
    (a Chatham House round's change) only the group is kept."""
    spoke = version.pop("speaking_for") or {}
    where = version["where"]
    version["recorded_for"] = organization(version.pop("organization"), f"{where}.organization")
    group = spoke.get("stakeholder_group")
    if group is not None and group not in StakeholderGroup.values:
        raise InvalidInput(f"{where}.speaking_for.stakeholder_group: unknown value {group!r}.", field="file")
    version["recorded_group"] = version["recorded_for"].stakeholder_group if version["recorded_for"] else group or ""
    version["recorded_verified"] = spoke.get("verified") is not False


def _reason(reason, as_recorded: bool) -> str | None:
    """A version's reason: as recorded (format 2, whose rows keep their authors and dates), else
    marked as imported."""
    given = reason.strip() if isinstance(reason, str) and reason.strip() else ""
    if as_recorded:
        return given or None
    return f"Imported: {given}" if given else "Imported"


def _create_clauses(draft: Draft, plan: list[dict], *, by: User) -> dict:
    """Every clause of an imported draft in a few statements, so a large file takes about a second:
    the rows as their last versions are, then one history row per version, in order. A version the
    file dates or names keeps its date and its author's recorded name (``recorded_by``, never an
    account here); one it does not is the importer's, now. Each version is checked as an edit would be; a
    fault names its place. ``{the file's clause id: clause}``."""
    clauses, states, taken = [], [], {}
    counters = {True: 0, False: 0}
    for entry in plan:
        checked = []
        for version in entry["versions"]:
            where = version.get("where", entry["where"])
            try:
                checked.append(
                    {
                        **version,
                        "title": clean_text(version["title"], field="title", limit=settings.MAX_TITLE, one_line=True),
                        "text": clean_text(version["text"], field="text", limit=settings.MAX_CLAUSE_TEXT),
                    }
                )
                rationale = clean_text(
                    entry.get("rationale", ""), field="rationale", limit=settings.MAX_CLAUSE_TEXT, required=False
                )
            except DomainError as exc:
                raise InvalidInput(f"{where}: {exc.field or 'text'}: {exc.message}", field="file") from exc
        preambular = entry["section"].is_preamble
        counters[preambular] += 1
        number = entry.get("number")
        number = counters[preambular] if number is None else number
        suffix = entry.get("number_suffix") or 0
        last = checked[-1]
        # Numbers are unique in the text; a paragraph that left it keeps the number it had then.
        in_the_text = last["status"] not in OUT_OF_THE_TEXT
        if suffix > MAX_SUFFIX or (in_the_text and (preambular, number, suffix) in taken):
            raise InvalidInput(
                f"{entry['where']}.number: {paragraph_ref(number, min(suffix, MAX_SUFFIX), preambular=preambular)}"
                f" is given twice or cannot be a paragraph number.",
                field="file",
            )
        if in_the_text:
            taken[(preambular, number, suffix)] = True
        if last["status"] == ClauseStatus.AGREED and square_brackets(last["text"]):
            held = ", ".join(f"“{passage[:60]}”" for passage in square_brackets(last["text"])[:3])
            raise InvalidInput(
                f"{last.get('where', entry['where'])}: the paragraph is marked agreed but its text holds square "
                f"brackets ({held}); mark it bracketed, or settle the bracketed words.",
                field="file",
            )
        clause = Clause(
            draft=draft,
            section=entry["section"],
            number=number,
            number_suffix=suffix,
            preambular=preambular,
            title=last["title"],
            text=last["text"],
            text_html=render_markdown(last["text"]),
            rationale=rationale,
            status=last["status"],
            proposer=entry.get("proposer", by),
            proposed_as_chair=entry.get("as_chair", True),  # the text the importer loads is the Chair's
            round=entry.get("round"),
            version=last.get("version") or len(checked),
        )
        clauses.append(clause)
        states.append(checked)
    Clause.objects.bulk_create(clauses)
    # Each clause dated as its versions are (``auto_now_add`` stamped now); its history rows, copies
    # of it, are written just below.
    for clause, versions in zip(clauses, states, strict=True):
        clause.created_at = versions[0].get("when") or clause.created_at
        clause.updated_at = versions[-1].get("when") or clause.updated_at
    write_with_history(Clause, clauses, [], fields=["created_at", "updated_at"])
    history = Clause.history.model
    start, rows = timezone.now(), []
    for clause, versions in zip(clauses, states, strict=True):
        for index, version in enumerate(versions, 1):
            state = copy.copy(clause)
            state.title, state.text, state.status = version["title"], version["text"], version["status"]
            state.version = version.get("version") or index
            number, suffix = version.get("number"), version.get("number_suffix")
            if number is not None and (suffix or 0) <= MAX_SUFFIX:
                state.number, state.number_suffix = number, suffix or 0
            state.text_html = clause.text_html if index == len(versions) else render_markdown(version["text"])
            dated = version.get("when") is not None
            # A version the file dates or names is as recorded, by name only (the Chair's, as the Chair);
            # else the importer's, who loads the text for the Chair.
            user = None if dated or version.get("recorded_by") or version.get("as_chair") else by
            rows.append(
                history(
                    history_date=version["when"] if dated else start + timedelta(microseconds=len(rows)),
                    history_user=user,
                    history_change_reason=version["reason"],
                    history_type="+" if index == 1 else "~",
                    recorded_by="" if user is not None else version.get("recorded_by", "")[:150],
                    recorded_for=None if user is not None else version.get("recorded_for"),
                    recorded_group="" if user is not None else version.get("recorded_group", ""),
                    recorded_verified=version.get("recorded_verified", True),
                    history_as_chair=user is not None or version.get("as_chair", False),
                    **{field.attname: getattr(state, field.attname) for field in history.tracked_fields},
                )
            )
    history.objects.bulk_create(rows)
    return {entry.get("file_id"): clause for entry, clause in zip(plan, clauses, strict=True)}


MAX_SUFFIX = 32767  # a clause's number_suffix column


def _as_recorded(model, objs: list, dates: list, authors: list, *, reason: str, updated: list | None = None) -> None:
    """Write ``objs`` with the dates the file gives (``auto_now_add`` and ``auto_now`` stamp now, so
    the dates are set after the insert) and, for a model with history, a first history row dated
    when the object was created."""
    model.objects.bulk_create(objs)
    fields = [name for name in ("created_at", "updated_at") if hasattr(model, name)]
    for obj, created, changed in zip(objs, dates, updated or [None] * len(objs), strict=True):
        if created is not None and "created_at" in fields:
            obj.created_at = created
        if changed is not None:
            obj.updated_at = changed
    write_with_history(model, objs, [], fields=fields)
    if hasattr(model, "history"):
        model.history.bulk_history_create(
            [
                pending_history(obj, by=author, reason=reason, when=getattr(obj, "created_at", None) or obj.updated_at)
                for obj, author in zip(objs, authors, strict=True)
            ]
        )


def _rounds(draft: Draft, rounds: list, people: _People) -> dict:
    made, objs, dates, authors, active = {}, [], [], [], 0
    for index, item in enumerate(rounds):
        path = f"record.rounds[{index}]"
        if not isinstance(item, dict):
            raise InvalidInput(f"{path}: not an object.", field="file")
        phase = _choice(item, "phase", path, Phase)
        active += phase in (Phase.OPEN, Phase.VOTING)
        if active > 1:
            raise InvalidInput(f"{path}.phase: a draft has one open or voting round at a time.", field="file")
        groups = item.get("eligible_groups") or []
        if not isinstance(groups, list) or any(g not in StakeholderGroup.values for g in groups):
            raise InvalidInput(f"{path}.eligible_groups: not a list of stakeholder groups.", field="file")
        author = people.person(item.get("created_by"), f"{path}.created_by")
        round_ = Round(
            draft=draft,
            title=_checked(
                path, clean_text, _need(item, "title", path), field="title", limit=settings.MAX_TITLE, one_line=True
            ),
            phase=phase,
            voting_rule=_choice(item, "voting_rule", path, VotingRule),
            quorum=_int(item, "quorum", path, default=0, required=True),
            eligible_groups=groups,
            hide_tallies_until_close=bool(item.get("hide_tallies_until_close", True)),
            chatham_house=bool(item.get("chatham_house", False)),
            created_by=author,
            **{key: _when(item, key, path, scheduled=True) for key in ("opens_at", "voting_opens_at", "closes_at")},
            **{
                key: _when(item, key, path)
                for key in ("opened_at", "closing_notice_at", "voting_started_at", "closed_at")
            },
        )
        if phase == Phase.CLOSED and round_.closed_at is None:
            raise InvalidInput(f"{path}.closed_at: a closed round says when it closed.", field="file")
        made[item.get("id")] = round_
        objs.append(round_)
        dates.append(_when(item, "created_at", path))
        authors.append(author)
    _as_recorded(Round, objs, dates, authors, reason="Round created")
    return made


class _Organizations:
    """The organizations the file names, each looked up (or made) once."""

    def __init__(self, importer: User):
        self.importer = importer
        self.found: dict[str, Organization] = {}

    def __call__(self, value, path: str) -> Organization | None:
        """The organization the file names: the one here whose name reads the same, else a new one
        made through the same checks as at sign-up. Its stakeholder group must be the file's."""
        if value is None:
            return None
        if not isinstance(value, dict):
            raise InvalidInput(f"{path}: not an object.", field="file")
        name = _need(value, "name", path).strip()
        group = _choice(value, "stakeholder_group", path, StakeholderGroup)
        key = organization_name_key(name)  # "Brazil." is Brazil, as sign-up would say
        if key not in self.found:
            found = Organization.objects.filter(name_key=key).first()
            if found is None:
                country = value.get("country")
                if not isinstance(country, str):
                    raise InvalidInput(f"{path}.country: not a country code.", field="file")
                found = _checked(
                    path,
                    organization_create,
                    name=name,
                    stakeholder_group=group,
                    country=country,
                    by=self.importer,
                )
            self.found[key] = found
        found = self.found[key]
        if found.stakeholder_group != group:
            raise InvalidInput(
                f"{path}.stakeholder_group: {found.name} is in the {found.get_stakeholder_group_display().lower()}"
                f" group here, not {StakeholderGroup(group).label.lower()}.",
                field="file",
            )
        return found


def _record(
    draft: Draft, record: dict, clauses: dict, rounds: dict, people: _People, organization: _Organizations
) -> None:
    """The snapshots, amendments, comments, dispositions, votes and results of the file's record."""

    def linked(item: dict, key: str, made: dict, path: str, *, required: bool = True):
        value = item.get(key)
        if value is None and not required:
            return None
        if value not in made:
            raise InvalidInput(f"{path}.{key}: refers to nothing in the file.", field="file")
        return made[value]

    def entries(key: str):
        for index, item in enumerate(_list(record, key, "record")):
            path = f"record.{key}[{index}]"
            if not isinstance(item, dict):
                raise InvalidInput(f"{path}: not an object.", field="file")
            yield path, item

    # Snapshots: frozen as they were, with their Rev.N and dates.
    snapshots, dates, frozen, labels, revisions, taken_rounds = [], [], [], set(), set(), set()
    for path, item in entries("snapshots"):
        label = _checked(path, clean_text, _need(item, "label", path), field="label", limit=100, one_line=True)
        revision = _int(item, "revision", path, required=True)
        round_ = linked(item, "round", rounds, path, required=False)
        if (
            label in labels
            or revision in revisions
            or revision < Snapshot.ORIGINAL
            or (round_ is not None and item["round"] in taken_rounds)
        ):
            raise InvalidInput(f"{path}: a second snapshot with this label, revision or round.", field="file")
        labels.add(label)
        revisions.add(revision)
        taken_rounds.add(item.get("round"))
        creator = item.get("created_by")
        snapshot = Snapshot(
            draft=draft,
            label=label,
            revision=revision,
            round=round_,
            created_by=people.person(creator, f"{path}.created_by") if creator else None,
            identity=_snapshot_identity(item, path, draft),
        )
        snapshots.append(snapshot)
        dates.append(_when(item, "created_at", path))
        for c_index, row in enumerate(_list(item, "clauses", path)):
            c_path = f"{path}.clauses[{c_index}]"
            text = _need(row, "text", c_path)
            frozen.append(
                (
                    snapshot,
                    SnapshotClause(
                        clause=linked(row, "clause", clauses, c_path),
                        section_title=_checked(
                            c_path,
                            clean_text,
                            _need(row, "section_title", c_path),
                            field="section_title",
                            limit=settings.MAX_TITLE,
                            one_line=True,
                        ),
                        section_position=_int(row, "section_position", c_path, required=True),
                        section_kind=_choice(row, "section_kind", c_path, SectionKind, default=SectionKind.OPERATIVE),
                        number=_int(row, "number", c_path, required=True),
                        number_suffix=min(_int(row, "number_suffix", c_path, default=0), MAX_SUFFIX),
                        previous_label=str(row.get("previous_label") or "")[:40],
                        title=_checked(
                            c_path, clean_text, _need(row, "title", c_path), field="title", limit=settings.MAX_TITLE
                        ),
                        text=text,
                        text_html=render_markdown(text),
                        status=_choice(row, "status", c_path, ClauseStatus),
                        version=_int(row, "version", c_path, required=True),
                        rationale=_checked(
                            c_path,
                            clean_text,
                            row.get("rationale", ""),
                            field="rationale",
                            limit=settings.MAX_CLAUSE_TEXT,
                            required=False,
                        ),
                    ),
                )
            )
    _as_recorded(Snapshot, snapshots, dates, [None] * len(snapshots), reason="")
    for snapshot, row in frozen:
        row.snapshot = snapshot
    SnapshotClause.objects.bulk_create([row for _, row in frozen])

    amendments, objs, dates, authors, changed = {}, [], [], [], []
    for path, item in entries("amendments"):
        author = people.person(item.get("author"), f"{path}.author")
        amendment = Amendment(
            clause=linked(item, "clause", clauses, path),
            round=linked(item, "round", rounds, path),
            kind=_choice(item, "kind", path, AmendmentKind),
            text=item.get("text") or "",
            rationale=item.get("rationale") or "",
            base_version=_int(item, "base_version", path, required=True),
            base_text=item.get("base_text") or "",
            status=_choice(item, "status", path, AmendmentStatus),
            author=author,
            organization=organization(item.get("organization"), f"{path}.organization"),
        )
        if not all(isinstance(v, str) for v in (amendment.text, amendment.rationale, amendment.base_text)):
            raise InvalidInput(f"{path}: text, rationale and base_text are strings.", field="file")
        amendments[item.get("id")] = amendment
        objs.append(amendment)
        dates.append(_when(item, "created_at", path))
        changed.append(_when(item, "updated_at", path))
        authors.append(author)
    _as_recorded(Amendment, objs, dates, authors, reason="Amendment submitted", updated=changed)

    # Comments in generations, so a reply's parent is written before it.
    comments, pending, dispositions = {}, list(entries("comments")), []
    while pending:
        ready = [(p, i) for p, i in pending if i.get("parent") is None or i.get("parent") in comments]
        if not ready:
            raise InvalidInput(f"{pending[0][0]}.parent: refers to no comment in the file.", field="file")
        objs, dates, authors = [], [], []
        for path, item in ready:
            on_clause = item.get("clause") is not None
            author = people.person(item.get("author"), f"{path}.author")
            hidden_by = item.get("hidden_by")
            comment = Comment(
                clause=linked(item, "clause", clauses, path) if on_clause else None,
                amendment=None if on_clause else linked(item, "amendment", amendments, path),
                parent=comments.get(item.get("parent")),
                author=author,
                body=_checked(path, clean_text, item.get("body"), field="body", limit=MAX_COMMENT),
                stance=_choice(item, "stance", path, Stance, default=Stance.NEUTRAL),
                quote=_checked(path, clean_text, item.get("quote"), field="quote", limit=MAX_QUOTE, required=False),
                edited_at=_when(item, "edited_at", path),
                hidden=bool(item.get("hidden")),
                hidden_reason=str(item.get("hidden_reason") or ""),
                hidden_by=people.person(hidden_by, f"{path}.hidden_by") if hidden_by else None,
                hidden_at=_when(item, "hidden_at", path),
            )
            comments[item.get("id")] = comment
            objs.append(comment)
            dates.append(_when(item, "created_at", path))
            authors.append(author)
            if item.get("disposition") is not None:
                dispositions.append((f"{path}.disposition", item["disposition"], comment))
        _as_recorded(Comment, objs, dates, authors, reason="Comment posted")
        pending = [(p, i) for p, i in pending if (p, i) not in ready]
    objs, dates, authors = [], [], []
    for path, item, comment in dispositions:
        if not isinstance(item, dict):
            raise InvalidInput(f"{path}: not an object.", field="file")
        decided_by = people.person(item.get("decided_by"), f"{path}.decided_by")
        objs.append(
            CommentDisposition(
                comment=comment,
                round=linked(item, "round", rounds, path),
                disposition=_choice(item, "disposition", path, Disposition),
                reason=_checked(path, clean_text, item.get("reason"), field="reason", limit=500, required=False),
                decided_by=decided_by,
            )
        )
        dates.append(_when(item, "updated_at", path))
        authors.append(decided_by)
    _as_recorded(CommentDisposition, objs, [None] * len(objs), authors, reason="Disposition recorded", updated=dates)

    objs, dates, authors, cast, changed = [], [], [], set(), []
    for path, item in entries("votes"):
        voter = people.person(item.get("voter"), f"{path}.voter")
        on_clause = item.get("clause") is not None
        spoke_for = organization(_need(item, "organization", path, dict), f"{path}.organization")
        group = _choice(item, "stakeholder_group", path, StakeholderGroup)
        if group != spoke_for.stakeholder_group:
            raise InvalidInput(
                f"{path}.stakeholder_group: {group}, but the vote's organization, {spoke_for.name},"
                f" is {spoke_for.stakeholder_group}.",
                field="file",
            )
        vote = Vote(
            round=linked(item, "round", rounds, path),
            voter=voter,
            clause=linked(item, "clause", clauses, path) if on_clause else None,
            amendment=None if on_clause else linked(item, "amendment", amendments, path),
            choice=_choice(item, "choice", path, VoteChoice),
            stakeholder_group=group,
            organization=spoke_for,
        )
        key = (item.get("round"), voter.pk, on_clause, item.get("clause") if on_clause else item.get("amendment"))
        if key in cast:
            raise InvalidInput(f"{path}: a second vote by {item['voter']} on the same item.", field="file")
        cast.add(key)
        objs.append(vote)
        dates.append(_when(item, "created_at", path))
        changed.append(_when(item, "updated_at", path))
        authors.append(voter)
    _as_recorded(Vote, objs, dates, authors, reason="Vote cast", updated=changed)

    results, decided = [], set()
    for path, item in entries("results"):
        on_clause = item.get("clause") is not None
        key = (item.get("round"), on_clause, item.get("clause") if on_clause else item.get("amendment"))
        if key in decided:
            raise InvalidInput(f"{path}: a second result for the same item.", field="file")
        by_group = _by_group(item.get("by_group") or {}, f"{path}.by_group")
        decided.add(key)
        results.append(
            ItemResult(
                round=linked(item, "round", rounds, path),
                clause=linked(item, "clause", clauses, path) if on_clause else None,
                amendment=None if on_clause else linked(item, "amendment", amendments, path),
                outcome=_choice(item, "outcome", path, Outcome),
                yes=_int(item, "yes", path, required=True),
                no=_int(item, "no", path, required=True),
                abstain=_int(item, "abstain", path, required=True),
                by_group=by_group,
                effect=str(item.get("effect") or "")[:40],
                reason=str(item.get("reason") or ""),
                # A file from before numbers were kept as voted has none: the clause's number is cited.
                cited_number=_int(item, "cited_number", path),
                cited_suffix=min(_int(item, "cited_suffix", path, default=0), MAX_SUFFIX),
            )
        )
    ItemResult.objects.bulk_create(results)


def _snapshot_identity(item: dict, path: str, draft: Draft) -> dict:
    """The identity a snapshot was circulated under (``Snapshot.IDENTITY``), as the file recorded it;
    a symbol another draft holds here is replaced by this draft's, so no paper prints another's."""
    value = item.get("identity") or {}
    if not isinstance(value, dict) or set(value) - set(Snapshot.IDENTITY):
        raise InvalidInput(f"{path}.identity: not a document identity.", field="file")
    identity = {}
    for name, said in value.items():
        if name == "titles_in_text":
            identity[name] = bool(said)
            continue
        if not isinstance(said, str):
            raise InvalidInput(f"{path}.identity.{name}: not text.", field="file")
        identity[name] = _checked(path, clean_text, said, field=name, limit=300, one_line=True, required=False)
    symbol = identity.get("document_symbol")
    if symbol and symbol != draft.document_symbol and Draft.objects.exclude(pk=draft.pk).filter(symbol=symbol).exists():
        identity["document_symbol"] = draft.document_symbol
    return identity


def _by_group(value, path: str) -> dict:
    """A result's counts per stakeholder group, as a tally makes them."""
    if not isinstance(value, dict) or any(group not in StakeholderGroup.values for group in value):
        raise InvalidInput(f"{path}: not an object of stakeholder groups.", field="file")
    for group, counts in value.items():
        if not isinstance(counts, dict) or set(counts) != {"yes", "no", "abstain"}:
            raise InvalidInput(f"{path}.{group}: not an object of yes, no and abstain.", field="file")
        for choice in counts:
            _int(counts, choice, f"{path}.{group}", required=True)
    return value


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
    text = _check(user, content)
    if _is_json(name, content):
        data = _read_json(text)
        meta = _parts(data)[0]
        if not new_symbol:
            _symbol_free(_file_symbol(meta), None)
