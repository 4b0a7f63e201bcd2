"""Validating a JSON file against the format ``schema`` declares, before anything is written: the
draft it describes (``plan.DraftPlan``), each fault named by its path in the file, the parts checked
in the order the import writes them.

Each key is checked by the kind ``schema`` declares it as (``fields``), so nothing here meets a value
of the wrong type. Beyond that this checks what spans several keys or objects: a clause's versions
(in order, each status and author following from the ones before), paragraph numbers given once,
each id given once, one open round, a snapshot's label, revision and round, each clause once in a
snapshot, a vote or result per item, a reply after its comment and on the same text, and that each
id names something in the file. What only the database can tell is the writing's: a symbol another
draft holds, an organization as it is here, how many people the file names.
"""

from django.conf import settings

from accounts.identity import organization_name_key
from codeofconduct.errors import DomainError, InvalidInput

from ...markdown import square_brackets
from ...models import (
    OUT_OF_THE_TEXT,
    ClauseStatus,
    Cosponsorship,
    Counting,
    Phase,
    SectionKind,
    Snapshot,
    paragraph_ref,
)
from ...services.common import clean_text
from ..fields import recorded_name, refuse
from ..schema import (
    AMENDMENT,
    CLAUSE,
    CLAUSE_OWNER,
    COMMENT,
    COSPONSORSHIP,
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
NUMBERS = ("number", "number_suffix")  # of a clause and of each version, in format 2
CLAUSE_KEYS = ("id", "history", "title", "text", "status", "rationale")
VERSION_KEYS = ("version", "status", "speaking_for", "changed_by", "title", "text", "reason", "organization")


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
    rounds = _rounds(record)
    # The ids each part of the record may name, each kind of those before it (amendments as read).
    known = {"rounds": {r["id"] for r in rounds}, "clauses": set(), "amendments": set()}
    owners = {}
    for path, item in _entries(record, "clause_owners"):
        given = CLAUSE_OWNER.read(item, path, known=known)
        owners[given["clause"]] = given
    made, clauses = _sections(sections, outside, keeps_versions)
    for clause in clauses:
        clause.owner = owners.get(clause.file_id) if clause.file_id is not None else None
        _unique(known["clauses"], clause.file_id, f"{clause.where}.id", "clause")
    check_clauses(clauses)
    record_plan = RecordPlan(
        rounds=rounds,
        snapshots=_snapshots(record, known),
        amendments=_amendments(record, known),
        comments=_comments(record, known),
        votes=_votes(record, known, {r["id"]: r["counting"] for r in rounds}),
        results=_results(record, known),
        cosponsorships=_cosponsorships(record, known),
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


def _unique(seen: set, file_id, path: str, what: str) -> None:
    """An id the file gives once (None, an object's without one, is no id)."""
    if file_id is None:
        return
    if file_id in seen:
        refuse(path, f"a second {what} with this id")
    seen.add(file_id)


def _sections(sections: list, outside: list, keeps_versions: bool) -> tuple[list[SectionPlan], list[ClausePlan]]:
    """The file's sections with their clauses, then its clauses out of the text, each in the
    section of its title and kind (one the file's sections hold, else a new one at the end)."""
    made, clauses, named = [], [], {}
    for s_index, section in enumerate(sections):
        path = f"sections[{s_index}]"
        given = SECTION.read(section, path)
        made.append(SectionPlan(title=given["title"], kind=given["kind"], path=path))
        named.setdefault((made[-1].title, made[-1].kind), made[-1])
        for c_index, clause in enumerate(given["clauses"]):
            clauses.append(_clause(clause, f"{path}.clauses[{c_index}]", made[-1], keeps_versions))
    for c_index, clause in enumerate(outside):
        path = f"record.clauses_out_of_text[{c_index}]"
        where = f"{path}.section"
        given = SECTION.read(CLAUSE.read(clause, path, ("section",))["section"], where, ("kind", "title"))
        section = named.get((given["title"], given["kind"]))
        if section is None:
            section = SectionPlan(**given, path=where)
            made.append(section)
            named[(section.title, section.kind)] = section
        clauses.append(_clause(clause, path, section, keeps_versions))
    return made, clauses


def _clause(clause, c_path: str, section: SectionPlan, keeps_versions: bool) -> ClausePlan:
    """A clause of the file, checked: its versions in order, each with its author and date."""
    numbers = NUMBERS if keeps_versions else ()
    given = CLAUSE.read(clause, c_path, CLAUSE_KEYS + numbers)
    history = given["history"] or [{"title": given["title"], "text": given["text"], "status": given["status"]}]
    versions, status, seen = [], ClauseStatus.AGREED, None
    for v_index, version in enumerate(history):
        v_path = f"{c_path}.history[{v_index}]" if given["history"] else c_path
        read = VERSION.read(version, v_path, VERSION_KEYS + numbers + ("changed_at",))
        number = read["version"]
        if not keeps_versions:
            if number is not None and number == seen:
                continue  # format 1: a renumbering is recorded under the version it left unchanged
            seen, number = number, None
        elif number is None or number < 1 or (versions and number < versions[-1].version):
            refuse(f"{v_path}.version", "versions go up from 1")
        status = read["status"] or status
        spoke = read["speaking_for"]
        as_chair = spoke is not None and spoke["chair"]  # the Chair's act, not a person's
        author = read["changed_by"]
        if author is not None and not as_chair:
            author = recorded_name(author, f"{v_path}.changed_by")
        spoke = None if as_chair else spoke
        versions.append(
            VersionPlan(
                title=read["title"],
                text=read["text"],
                status=status,
                reason=_reason(read["reason"], keeps_versions),
                where=v_path,
                version=number or len(versions) + 1,
                number=read.get("number"),
                number_suffix=read.get("number_suffix"),
                recorded_by="" if as_chair else author or "",
                as_chair=as_chair,
                speaking_for=spoke,
                organization=None if as_chair else read["organization"],
                # What the author spoke for as the file recorded it: the organization (matched or
                # made when written, ``writing.spoke_for``), else, where the file withheld it (a
                # Chatham House round's change), only the group.
                group=spoke["stakeholder_group"] if spoke else None,
                recorded_verified=spoke["verified"] if spoke else True,
                when=read["changed_at"],
            )
        )
    return ClausePlan(
        section=section,
        where=c_path,
        versions=versions,
        rationale=given["rationale"],
        file_id=given["id"],
        **{key: given[key] for key in numbers},
    )


def _reason(reason: str, as_recorded: bool) -> str | None:
    """A version's reason: as recorded (format 2, whose rows keep their authors and dates), else
    marked as imported."""
    if as_recorded:
        return reason or None
    return f"Imported: {reason}" if reason else "Imported"


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
    """Each object of one of the record's lists, with its path (``Fields.read`` refuses anything
    but an object)."""
    for index, item in enumerate(RECORD.read(record, "record", (key,))[key]):
        yield f"record.{key}[{index}]", item


def _rounds(record: dict) -> list[dict]:
    rounds, active, ids = [], 0, set()
    phase = ROUND.split("phase")[0]
    fields, stamps = ROUND.split("closed_at")
    for path, item in _entries(record, "rounds"):
        values = {"path": path, **ROUND.read(item, path, phase)}
        active += values["phase"] in (Phase.OPEN, Phase.VOTING)
        if active > 1:
            refuse(f"{path}.phase", "a draft has one open or voting round at a time")
        values |= ROUND.read(item, path, fields[len(phase) :])
        if values["phase"] == Phase.CLOSED and values["closed_at"] is None:
            refuse(f"{path}.closed_at", "a closed round says when it closed")
        values |= ROUND.read(item, path, stamps)
        _unique(ids, values["id"], f"{path}.id", "round")
        rounds.append(values)
    return rounds


def _snapshots(record: dict, known: dict) -> list[dict]:
    """Snapshots: frozen as they were, with their Rev.N and dates, each clause once in each."""
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
            refuse(path, "a second snapshot with this label, revision or round")
        labels.add(label)
        revisions.add(revision)
        taken_rounds.add(round_)
        values |= SNAPSHOT.read(item, path, tail, known=known)
        rows, frozen = [], set()
        for c_index, row in enumerate(values["clauses"]):
            r_path = f"{path}.clauses[{c_index}]"
            rows.append({"path": r_path, **SNAPSHOT_CLAUSE.read(row, r_path, known=known)})
            if rows[-1]["clause"] in frozen:
                refuse(f"{r_path}.clause", "this clause is given twice in the snapshot")
            frozen.add(rows[-1]["clause"])
        values["clauses"] = rows
        snapshots.append(values)
    return snapshots


def _someones(values: dict, path: str) -> None:
    """An amendment or comment is the Chair's (``as_chair``, naming no one) or its author's."""
    if values["author"] is None and not values["as_chair"]:
        refuse(f"{path}.author", "names no one, and the act is not the Chair's")


def _amendments(record: dict, known: dict) -> list[dict]:
    amendments = []
    for path, item in _entries(record, "amendments"):
        amendments.append({"path": path, **AMENDMENT.read(item, path, known=known)})
        _someones(amendments[-1], path)
        _unique(known["amendments"], amendments[-1]["id"], f"{path}.id", "amendment")
    return amendments


def _comments(record: dict, known: dict) -> list[list[dict]]:
    """Comments in generations, so a reply's parent is written before it, each with its
    disposition. A reply answers a comment before it in the file, on the same clause or amendment."""
    generations, depth, on = [], {}, {}
    for path, item in _entries(record, "comments"):
        values = {"path": path, **COMMENT.read(item, path, known=known)}
        _someones(values, path)
        parent, file_id = values["parent"], values["id"]
        if parent is not None and parent not in depth:
            refuse(f"{path}.parent", "names no comment before it in the file")
        if parent is not None and on[parent] != values["on"]:
            refuse(f"{path}.parent", "a reply is on the clause or amendment its comment is on")
        if file_id in depth:
            refuse(f"{path}.id", "a second comment with this id")
        depth[file_id], on[file_id] = 0 if parent is None else depth[parent] + 1, values["on"]
        if depth[file_id] == len(generations):
            generations.append([])
        generations[depth[file_id]].append(values)
        if values["disposition"] is not None:
            d_path = f"{path}.disposition"
            values["disposition"] = {"path": d_path, **DISPOSITION.read(values["disposition"], d_path, known=known)}
    return generations


def _votes(record: dict, known: dict, counting: dict) -> list[dict]:
    """Votes: one per voice and item in a round, a voice being a person, or an organization where
    the round counts per delegation."""
    votes, cast = [], set()
    for path, item in _entries(record, "votes"):
        values = {"path": path, **VOTE.read(item, path, known=known)}
        if counting[values["round"]] == Counting.PER_DELEGATION:
            name = values["organization"]["name"]
            voice, second = organization_name_key(name), f"a second vote by {name} on the same item"
        else:
            voter = recorded_name(values["voter"], f"{path}.voter").casefold()  # one account per name
            voice, second = voter, f"a second vote by {values['voter']} on the same item"
        key = (values["round"], voice, values["on"])
        if key in cast:
            refuse(path, second)
        cast.add(key)
        votes.append(values)
    return votes


def _results(record: dict, known: dict) -> list[dict]:
    results, decided = [], set()
    for path, item in _entries(record, "results"):
        values = {"path": path, **RESULT.read(item, path, known=known)}
        key = (values["round"], values["on"])
        if key in decided:
            refuse(path, "a second result for the same item")
        decided.add(key)
        results.append(values)
    return results


def _cosponsorships(record: dict, known: dict) -> list[dict]:
    """Co-sponsorships: a delegation co-sponsors (or asks to) a proposal once at a time; its
    withdrawn or declined ones stay beside."""
    found, live = [], set()
    for path, item in _entries(record, "cosponsorships"):
        values = {"path": path, **COSPONSORSHIP.read(item, path, known=known)}
        if values["status"] in Cosponsorship.LIVE:
            key = (values["on"], organization_name_key(values["organization"]["name"]))
            if key in live:
                refuse(path, f"a second live co-sponsorship by {values['organization']['name']} of the same proposal")
            live.add(key)
        found.append(values)
    return found
