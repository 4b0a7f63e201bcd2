"""Create a draft from a Markdown file or from a JSON export of another installation.

A malformed file is refused with the line (Markdown) or field (JSON) at fault, and creates nothing:
the whole import is one transaction.
"""

import copy
import json
import re
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from codeofconduct.errors import DomainError, InvalidInput, TooLarge
from codeofconduct.history import save_with_history
from codeofconduct.inputs import CONTROL_CHARACTERS, first_bad_string, json_nesting
from notifications.services import follow

from .. import rules
from ..markdown import render_markdown
from ..models import Clause, ClauseStatus, Draft, DraftMembership, Role, Visibility
from ..services.common import clean_text
from ..services.drafts import new_draft, section_create

# Checked before any work starts, so no import holds a web worker for more than a few seconds
# (README, "Reliability and security", has the measured figures).
MAX_IMPORT_BYTES = 1_000_000
MAX_IMPORT_CLAUSES = 2_000
MAX_IMPORT_VERSIONS = 10_000  # clause versions in a JSON file, first versions included
HEADING = re.compile(r"^(#{1,3})\s+(.*?)\s*$")
NUMBERED = re.compile(r"^(\d+)[.)]\s+(.*)$")
CLAUSE_HEADING = re.compile(r"^(?:\d+[.)]\s*)?(.*?)(?:\s+\((proposed|bracketed|agreed)\))?$")


def _check(user: User, content: bytes) -> str:
    rules.check("draft_create", rules.Subject(rules.standing(user)))
    if len(content) > MAX_IMPORT_BYTES:
        raise TooLarge(f"The file is {len(content):,} bytes; the limit is {MAX_IMPORT_BYTES:,}.", field="file")
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
            clause = {"title": name, "status": status or ClauseStatus.AGREED, "text": [], "line": number}
            sections[-1]["clauses"].append(clause)
        elif item and sections and (clause is None or clause.get("numbered")):
            words = item.group(2)
            clause = {
                "title": _title_from(words),
                "status": ClauseStatus.AGREED,
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
                    ClauseStatus.BRACKETED if item["status"] == "agreed" else item["status"],
                )
            if not body:
                raise InvalidInput(f"Line {item['line']}: clause “{item['title']}” has no text.", field="file")
            version = {"title": item["title"], "text": body, "status": item["status"], "reason": "Imported"}
            plan.append({"section": created, "where": f"Line {item['line']}", "versions": [version]})
    _create_clauses(draft, plan, by=by)
    return draft


def _title_from(words: str) -> str:
    short = " ".join(words.split()[:8])
    return short if len(short) < len(words) else words


@transaction.atomic
def draft_import_json(*, content: bytes, by: User, visibility: str | None = None) -> Draft:
    """Rebuild a draft from this platform's JSON export, each clause with its versions in order."""
    text = _check(by, content)
    if json_nesting(text) > settings.MAX_JSON_DEPTH:
        raise InvalidInput(f"The JSON is nested more than {settings.MAX_JSON_DEPTH} levels deep.", field="file")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"Line {exc.lineno}: not valid JSON ({exc.msg}).", field="file") from exc
    found = first_bad_string(data)
    if found:
        raise InvalidInput(f"{found[0]} {found[1]}.", field="file")

    def need(container, key, path, kind=str):
        value = container.get(key) if isinstance(container, dict) else None
        if not isinstance(value, kind) or (kind is str and not value.strip()):
            raise InvalidInput(f"{path}.{key}: missing or not a {kind.__name__}.", field="file")
        return value

    if not isinstance(data, dict) or data.get("format") != "codeofconduct-draft":
        raise InvalidInput("format: this is not a draft exported by this platform.", field="file")
    meta = need(data, "draft", "$", dict)
    sections = need(data, "sections", "$", list)
    clauses = [c for section in sections if isinstance(section, dict) for c in section.get("clauses") or []]
    _check_count(
        len(clauses),
        sum(
            len(c.get("history") or [None]) if isinstance(c, dict) and isinstance(c.get("history"), list) else 1
            for c in clauses
        ),
    )
    draft = _new_draft(
        title=need(meta, "title", "draft"),
        summary=meta.get("summary") or "",
        visibility=visibility or meta.get("visibility") or Visibility.MEMBERS,
        by=by,
    )
    plan = []
    for s_index, section in enumerate(sections):
        path = f"sections[{s_index}]"
        created = section_create(draft=draft, title=need(section, "title", path), by=by)
        for c_index, clause in enumerate(need(section, "clauses", path, list)):
            c_path = f"{path}.clauses[{c_index}]"
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
                if version.get("version") is not None and version.get("version") == seen:
                    continue  # a renumbering is recorded under the version it left unchanged
                seen = version.get("version")
                status = version.get("status", status)
                if status not in ClauseStatus.values:
                    raise InvalidInput(f"{v_path}.status: unknown status {status!r}.", field="file")
                reason = version.get("reason")
                versions.append(
                    {
                        "title": need(version, "title", v_path),
                        "text": need(version, "text", v_path),
                        "status": status,
                        "reason": f"Imported: {reason}" if isinstance(reason, str) and reason.strip() else "Imported",
                        "where": v_path,
                    }
                )
            rationale = clause.get("rationale") or ""
            if not isinstance(rationale, str):
                raise InvalidInput(f"{c_path}.rationale: not a string.", field="file")
            plan.append({"section": created, "where": c_path, "versions": versions, "rationale": rationale})
    _create_clauses(draft, plan, by=by)
    return draft


def _create_clauses(draft: Draft, plan: list[dict], *, by: User) -> None:
    """Every clause of an imported draft in a few statements, so a large file takes about a second:
    the rows as their last versions are, then one history row per version, in order, each naming
    the importer and its reason. Each version is checked as an edit would be; a fault names its place."""
    clauses, states = [], []
    for number, entry in enumerate(plan, 1):
        checked = []
        for version in entry["versions"]:
            where = version.get("where", entry["where"])
            try:
                checked.append(
                    {
                        "title": clean_text(version["title"], field="title", limit=settings.MAX_TITLE, one_line=True),
                        "text": clean_text(version["text"], field="text", limit=settings.MAX_CLAUSE_TEXT),
                        "status": version["status"],
                        "reason": version["reason"],
                    }
                )
                rationale = clean_text(
                    entry.get("rationale", ""), field="rationale", limit=settings.MAX_CLAUSE_TEXT, required=False
                )
            except DomainError as exc:
                raise InvalidInput(f"{where}: {exc.field or 'text'}: {exc.message}", field="file") from exc
        last = checked[-1]
        clause = Clause(
            draft=draft,
            section=entry["section"],
            number=number,
            title=last["title"],
            text=last["text"],
            text_html=render_markdown(last["text"]),
            rationale=rationale,
            status=last["status"],
            proposer=by,
            version=len(checked),
        )
        clauses.append(clause)
        states.append(checked)
    Clause.objects.bulk_create(clauses)
    start, created, changed = timezone.now(), [], []
    for clause, versions in zip(clauses, states, strict=True):
        for number, version in enumerate(versions, 1):
            state = copy.copy(clause)
            state.title, state.text, state.status, state.version = (
                version["title"],
                version["text"],
                version["status"],
                number,
            )
            state.text_html = clause.text_html if number == len(versions) else render_markdown(version["text"])
            state._change_reason = version["reason"]
            state._history_date = start + timedelta(microseconds=len(created) + len(changed))
            (created if number == 1 else changed).append(state)
    Clause.history.bulk_history_create(created, default_user=by)
    Clause.history.bulk_history_create(changed, update=True, default_user=by)


def draft_import_upload(*, upload, by: User, visibility: str | None = None) -> Draft:
    """Import an uploaded file: Markdown or JSON by the file's name (or its first character)."""
    content = upload.read(MAX_IMPORT_BYTES + 1)
    if visibility is not None and visibility not in Visibility.values:
        raise InvalidInput(f"Choose one of: {', '.join(Visibility.values)}.", field="visibility")
    as_json = upload.name.lower().endswith(".json") or content.lstrip()[:1] == b"{"
    if as_json:
        return draft_import_json(content=content, by=by, visibility=visibility)
    return draft_import_markdown(content=content, by=by, visibility=visibility or Visibility.MEMBERS)
