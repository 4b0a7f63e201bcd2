"""Validating a JSON file against the format ``schema`` declares, before anything is written: the
draft it describes (``plan.DraftPlan``), each fault named by its path in the file, the parts checked
in the order the import writes them.

Beyond each object's keys this checks what spans several: a clause's versions (in order, each
status and author following from the ones before), paragraph numbers given once, one open round, a
snapshot's label, revision and round, a vote or result per item, a reply after its comment, and
that each id names something in the file. What only the database can tell is the writing's: a
symbol another draft holds, an organization as it is here, how many people the file names.
"""

from django.conf import settings

from accounts.models import StakeholderGroup
from codeofconduct.errors import DomainError, InvalidInput

from ...markdown import square_brackets
from ...models import OUT_OF_THE_TEXT, ClauseStatus, Phase, SectionKind, Snapshot, paragraph_ref
from ...services.common import clean_text
from ..fields import recorded_name
from ..schema import (
    AMENDMENT,
    CLAUSE,
    CLAUSE_OWNER,
    COMMENT,
    DISPOSITION,
    DRAFT,
    FORMAT_VERSIONS,
    MAX_SUFFIX,
    RECORD,
    RESULT,
    ROUND,
    SECTION,
    SNAPSHOT,
    SNAPSHOT_CLAUSE,
    VERSION,
    VOTE,
)
from .plan import ClausePlan, DraftPlan, RecordPlan, SectionPlan, VersionPlan

IDENTITY = ("original_language", "distribution", "issuing_body", "chair")  # of DRAFT, given to draft_update
AMENDMENT_TEXTS = ("text", "rationale", "base_text")


def json_plan(data: dict, meta: dict, sections: list, record: dict, outside: list) -> DraftPlan:
    """The draft a JSON file describes (``reading.parts`` split it): format 1 or 2, its sections and
    clauses, each clause's versions, and the record the file carries, all checked."""
    format_version = data.get("format_version")
    if isinstance(format_version, bool) or not isinstance(format_version, int) or format_version not in FORMAT_VERSIONS:
        raise InvalidInput(
            f"format_version: {str(format_version)[:20]!r} is not a format this installation reads"
            f" ({', '.join(map(str, FORMAT_VERSIONS))}); export the draft again from an installation of the same"
            " version, or update this one.",
            field="file",
        )
    keeps_versions = format_version >= 2
    draft = DRAFT.read(meta, "draft", ("title", "summary", "visibility"))
    symbol = file_symbol(meta)
    identity = {key: value for key, value in DRAFT.read(meta, "draft", IDENTITY).items() if value is not None}
    owners = _owners(record)
    rounds = _rounds(RECORD.read(record, "record", ("rounds",))["rounds"])
    made, clauses = _sections(sections, outside, keeps_versions)
    _proposers(clauses, owners)
    for clause in clauses:
        for version in clause.versions:
            _speaking_for(version)
    check_clauses(clauses)
    known = {"clauses": {c.file_id for c in clauses}, "rounds": {r["id"] for r in rounds}, "amendments": set()}
    # In the file's order, each kind naming only those before it (``known`` grows with the amendments).
    record_plan = RecordPlan(
        rounds=rounds,
        snapshots=_snapshots(record, known),
        amendments=_amendments(record, known),
        comments=_comments(record, known),
        votes=_votes(record, known),
        results=_results(record, known),
    )
    return DraftPlan(
        title=draft["title"],
        summary=draft["summary"],
        visibility=draft["visibility"],
        symbol=symbol,
        identity=identity,
        sections=made,
        clauses=clauses,
        record=record_plan,
        **DRAFT.read(meta, "draft", ("created_at", "updated_at")),
    )


def file_symbol(meta: dict) -> str:
    return (DRAFT.read(meta, "draft", ("symbol",))["symbol"] or "").strip()


def _owners(record: dict) -> dict:
    owners = {}
    for index, owner in enumerate(RECORD.read(record, "record", ("clause_owners",))["clause_owners"]):
        path = f"record.clause_owners[{index}]"
        if not isinstance(owner, dict):
            raise InvalidInput(f"{path}: not an object.", field="file")
        given = CLAUSE_OWNER.read(owner, path)
        owners[given["clause"]] = given
    return owners


def _proposers(clauses: list[ClausePlan], owners: dict) -> None:
    """Each clause's entry in the record's clause owners, whose proposer is a name."""
    for clause in clauses:
        clause.owner = owners.get(clause.file_id)
        name = clause.owner.get("proposer") if clause.owner is not None else None
        if name:
            recorded_name(name, "record.clause_owners")


def _sections(sections: list, outside: list, keeps_versions: bool) -> tuple[list[SectionPlan], list[ClausePlan]]:
    """The file's sections with their clauses, then its clauses out of the text, each in the
    section of its title and kind (one the file's sections hold, else a new one at the end)."""
    made, clauses, named = [], [], {}
    for s_index, section in enumerate(sections):
        path = f"sections[{s_index}]"
        made.append(SectionPlan(**SECTION.read(section, path, ("kind", "title")), path=path))
        named.setdefault((made[-1].title, made[-1].kind), made[-1])
        for c_index, clause in enumerate(SECTION.read(section, path, ("clauses",))["clauses"]):
            clauses.append(_clause(clause, f"{path}.clauses[{c_index}]", made[-1], keeps_versions))
    for c_index, clause in enumerate(outside):
        path = f"record.clauses_out_of_text[{c_index}]"
        where = CLAUSE.read(clause, path, ("section",))["section"]
        kind = where.get("kind") or SectionKind.OPERATIVE
        section = named.get((where.get("title"), kind))
        if section is None:
            section = SectionPlan(**SECTION.read(where, f"{path}.section", ("kind", "title")), path=f"{path}.section")
            made.append(section)
            named[(section.title, section.kind)] = section
        clauses.append(_clause(clause, path, section, keeps_versions))
    return made, clauses


def _clause(clause, c_path: str, section: SectionPlan, keeps_versions: bool) -> ClausePlan:
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
        number = VERSION.read(version, v_path, ("version",))["version"]
        if not keeps_versions:
            if number is not None and number == seen:
                continue  # format 1: a renumbering is recorded under the version it left unchanged
            seen, number = number, None
        elif number is None or number < 1 or (versions and number < versions[-1].version):
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
            author = recorded_name(author, f"{v_path}.changed_by")
        given = VERSION.read(version, v_path, ("title", "text"))
        given |= VERSION.read(version, v_path, ("number", "number_suffix") if keeps_versions else ())
        versions.append(
            VersionPlan(
                title=given["title"],
                text=given["text"],
                status=status,
                reason=_reason(reason, keeps_versions),
                where=v_path,
                version=number or len(versions) + 1,
                number=given.get("number"),
                number_suffix=given.get("number_suffix"),
                recorded_by="" if as_chair else author or "",
                as_chair=as_chair,
                speaking_for=None if as_chair else spoke,
                organization=None if as_chair else version.get("organization"),
                when=VERSION.read(version, v_path, ("changed_at",))["changed_at"],
            )
        )
    rationale = clause.get("rationale") or ""
    if not isinstance(rationale, str):
        raise InvalidInput(f"{c_path}.rationale: not a string.", field="file")
    return ClausePlan(
        section=section,
        where=c_path,
        versions=versions,
        rationale=rationale,
        file_id=clause.get("id"),
        **(CLAUSE.read(clause, c_path, ("number", "number_suffix")) if keeps_versions else {}),
    )


def _reason(reason, as_recorded: bool) -> str | None:
    """A version's reason: as recorded (format 2, whose rows keep their authors and dates), else
    marked as imported."""
    given = reason.strip() if isinstance(reason, str) and reason.strip() else ""
    if as_recorded:
        return given or None
    return f"Imported: {given}" if given else "Imported"


def _speaking_for(version: VersionPlan) -> None:
    """What the author of a version the file names spoke for, as the file recorded it: the
    organization (matched or made when written, ``writing.spoke_for``), else, where the file
    withheld it (a Chatham House round's change), only the group."""
    VERSION["organization"].check(version.organization, f"{version.where}.organization")
    spoke = version.speaking_for or {}
    group = spoke.get("stakeholder_group")
    if group is not None and group not in StakeholderGroup.values:
        raise InvalidInput(f"{version.where}.speaking_for.stakeholder_group: unknown value {group!r}.", field="file")
    version.group = group
    version.recorded_verified = spoke.get("verified") is not False


def check_clauses(clauses: list[ClausePlan]) -> None:
    """Each version checked as an edit would be (its title and text cleaned), a fault named by its
    place; each clause numbered (its own number, else the next of its part of the text), no two
    in the text with one number, none marked agreed with square brackets left in its text."""
    taken = {}
    counters = {True: 0, False: 0}
    for clause in clauses:
        for version in clause.versions:
            try:
                version.title = clean_text(version.title, field="title", limit=settings.MAX_TITLE, one_line=True)
                version.text = clean_text(version.text, field="text", limit=settings.MAX_CLAUSE_TEXT)
                rationale = clean_text(
                    clause.rationale, field="rationale", limit=settings.MAX_CLAUSE_TEXT, required=False
                )
            except DomainError as exc:
                raise InvalidInput(f"{version.where}: {exc.field or 'text'}: {exc.message}", field="file") from exc
        clause.rationale = rationale
        preambular = clause.section.kind == SectionKind.PREAMBLE
        counters[preambular] += 1
        number = counters[preambular] if clause.number is None else clause.number
        suffix = clause.number_suffix or 0
        last = clause.versions[-1]
        # Numbers are unique in the text; a paragraph that left it keeps the number it had then.
        in_the_text = last.status not in OUT_OF_THE_TEXT
        if suffix > MAX_SUFFIX or (in_the_text and (preambular, number, suffix) in taken):
            raise InvalidInput(
                f"{clause.where}.number: {paragraph_ref(number, min(suffix, MAX_SUFFIX), preambular=preambular)}"
                f" is given twice or cannot be a paragraph number.",
                field="file",
            )
        if in_the_text:
            taken[(preambular, number, suffix)] = True
        if last.status == ClauseStatus.AGREED and square_brackets(last.text):
            held = ", ".join(f"“{passage[:60]}”" for passage in square_brackets(last.text)[:3])
            raise InvalidInput(
                f"{last.where}: the paragraph is marked agreed but its text holds square "
                f"brackets ({held}); mark it bracketed, or settle the bracketed words.",
                field="file",
            )
        clause.preambular, clause.number, clause.number_suffix = preambular, number, suffix


def _entries(record: dict, key: str):
    for index, item in enumerate(RECORD.read(record, "record", (key,))[key]):
        path = f"record.{key}[{index}]"
        if not isinstance(item, dict):
            raise InvalidInput(f"{path}: not an object.", field="file")
        yield path, item


def _rounds(rounds: list) -> list[dict]:
    checked, active = [], 0
    phase = ROUND.split("phase")[0]
    fields, stamps = ROUND.split("closed_at")
    for index, item in enumerate(rounds):
        path = f"record.rounds[{index}]"
        if not isinstance(item, dict):
            raise InvalidInput(f"{path}: not an object.", field="file")
        values = {"path": path, **ROUND.read(item, path, phase)}
        active += values["phase"] in (Phase.OPEN, Phase.VOTING)
        if active > 1:
            raise InvalidInput(f"{path}.phase: a draft has one open or voting round at a time.", field="file")
        values |= ROUND.read(item, path, fields[len(phase) :])
        if values["phase"] == Phase.CLOSED and values["closed_at"] is None:
            raise InvalidInput(f"{path}.closed_at: a closed round says when it closed.", field="file")
        checked.append(values | ROUND.read(item, path, stamps))
    return checked


def _snapshots(record: dict, known: dict) -> list[dict]:
    """Snapshots: frozen as they were, with their Rev.N and dates."""
    snapshots, labels, revisions, taken_rounds = [], set(), set(), set()
    head, tail = SNAPSHOT.split("round")
    for path, item in _entries(record, "snapshots"):
        values = {"path": path, **SNAPSHOT.read(item, path, head, known=known)}
        label, revision, round_ = values["label"], values["revision"], values["round"]
        if (
            label in labels
            or revision in revisions
            or revision < Snapshot.ORIGINAL
            or (round_ is not None and round_ in taken_rounds)
        ):
            raise InvalidInput(f"{path}: a second snapshot with this label, revision or round.", field="file")
        labels.add(label)
        revisions.add(revision)
        taken_rounds.add(round_)
        values |= SNAPSHOT.read(item, path, tail, known=known)
        values["clauses"] = [
            {
                "path": f"{path}.clauses[{c_index}]",
                **SNAPSHOT_CLAUSE.read(row, f"{path}.clauses[{c_index}]", known=known),
            }
            for c_index, row in enumerate(values["clauses"])
        ]
        snapshots.append(values)
    return snapshots


def _amendments(record: dict, known: dict) -> list[dict]:
    amendments = []
    head, tail = AMENDMENT.split("organization")
    for path, item in _entries(record, "amendments"):
        values = {"path": path, **AMENDMENT.read(item, path, head, known=known)}
        if not all(isinstance(values[key], str) for key in AMENDMENT_TEXTS):
            raise InvalidInput(f"{path}: text, rationale and base_text are strings.", field="file")
        values |= AMENDMENT.read(item, path, tail, known=known)
        known["amendments"].add(values["id"])
        amendments.append(values)
    return amendments


def _comments(record: dict, known: dict) -> list[list[dict]]:
    """Comments in generations, so a reply's parent is written before it; then their dispositions."""
    generations, pending, seen = [], list(_entries(record, "comments")), set()
    while pending:
        ready = [(p, i) for p, i in pending if i.get("parent") is None or i.get("parent") in seen]
        if not ready:
            raise InvalidInput(f"{pending[0][0]}.parent: refers to no comment in the file.", field="file")
        generations.append([{"path": path, **COMMENT.read(item, path, known=known)} for path, item in ready])
        seen |= {comment["id"] for comment in generations[-1]}
        pending = [(p, i) for p, i in pending if (p, i) not in ready]
    for comment in (comment for generation in generations for comment in generation):
        if comment["disposition"] is not None:
            path, item = f"{comment['path']}.disposition", comment["disposition"]
            if not isinstance(item, dict):
                raise InvalidInput(f"{path}: not an object.", field="file")
            comment["disposition"] = {"path": path, **DISPOSITION.read(item, path, known=known)}
    return generations


def _votes(record: dict, known: dict) -> list[dict]:
    votes, cast = [], set()
    head, tail = VOTE.split("choice")
    for path, item in _entries(record, "votes"):
        values = {"path": path, **VOTE.read(item, path, head, known=known)}
        voter = recorded_name(item["voter"], f"{path}.voter").casefold()  # one account per name
        key = (values["round"], voter, values["on"])
        if key in cast:
            raise InvalidInput(f"{path}: a second vote by {item['voter']} on the same item.", field="file")
        cast.add(key)
        votes.append(values | VOTE.read(item, path, tail, known=known))
    return votes


def _results(record: dict, known: dict) -> list[dict]:
    results, decided = [], set()
    for path, item in _entries(record, "results"):
        on_clause = item.get("clause") is not None
        key = (item.get("round"), on_clause, item.get("clause") if on_clause else item.get("amendment"))
        if key in decided:
            raise InvalidInput(f"{path}: a second result for the same item.", field="file")
        values = {"path": path, **RESULT.read(item, path, known=known)}
        decided.add(key)
        results.append(values)
    return results
