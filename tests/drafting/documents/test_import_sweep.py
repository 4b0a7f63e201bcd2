"""Every place of a rich export given each hostile value (a list, an object, a number, a boolean,
null, a 10,000-character string, an empty string, a negative number, nothing at all): the import
refuses it with ``InvalidInput`` naming a path in the file, or takes it; nothing else escapes, and
a refused import leaves nothing written.

The sweep checks every place with the validation alone (it writes nothing, so it is quick); each
kind of place and value the validation takes is then imported in full, through the service the
API uses, as is a sample of those it refuses."""

import json
import re

import pytest
from django.db import transaction

from accounts.models import Organization, User
from codeofconduct.errors import InvalidInput
from drafting.documents.imports import draft_import_file, reading, validation
from drafting.models import (
    Amendment,
    Clause,
    Comment,
    CommentDisposition,
    Draft,
    DraftMembership,
    ItemResult,
    Round,
    Section,
    Snapshot,
    SnapshotClause,
    Vote,
)

pytestmark = pytest.mark.django_db

MISSING = object()  # the key left out
HOSTILE = {
    "a list": [1, "x"],
    "a list of objects": [{}],
    "an empty object": {},
    "an object": {"id": [1]},
    "a number": 7,
    "a fraction": 1.5,
    "a negative number": -1,
    "true": True,
    "false": False,
    "null": None,
    "an empty string": "",
    "a long string": "x" * 10_000,
    "nothing": MISSING,
}
# "<path in the file>: <what is wrong>", the path starting at one of the file's keys.
NAMES_A_PATH = re.compile(r"^(format|format_version|draft|sections|record)([.\[][\w.\[\]]*)?: \S")
WRITTEN = (
    Draft,
    DraftMembership,
    Section,
    Clause,
    Clause.history.model,
    Round,
    Snapshot,
    SnapshotClause,
    Amendment,
    Comment,
    CommentDisposition,
    Vote,
    ItemResult,
    User,
    Organization,
)


def places(value, path=""):
    """(path, container, key) for every value in the file, containers and leaves alike."""
    if isinstance(value, dict):
        children = [(key, f"{path}.{key}" if path else key) for key in value]
    elif isinstance(value, list):
        children = [(index, f"{path}[{index}]") for index in range(len(value))]
    else:
        return
    for key, here in children:
        yield here, value, key
        yield from places(value[key], here)


def mutated(data, container, key, hostile, attempt):
    """``attempt(data)`` with ``container[key]`` replaced by ``hostile`` (or left out), put back as
    it was afterwards: what it gave, or what it raised."""
    was = container[key]
    if hostile is MISSING:
        if isinstance(container, list):
            container.pop(key)
        else:
            del container[key]
    else:
        container[key] = hostile
    try:
        return attempt(data)
    except Exception as exc:  # noqa: BLE001 - the sweep tells each kind apart below
        return exc
    finally:
        if hostile is MISSING and isinstance(container, list):
            container.insert(key, was)
        else:
            container[key] = was


def validate(data) -> str:
    """The draft the validation makes of the file, as text to compare."""
    return repr(validation.json_plan(data, *reading.parts(data)))


def written():
    return tuple(model.objects.count() for model in WRITTEN)


def import_in_full(by):
    """Import a file through the service the API uses; a refused one must leave nothing written, a
    taken one is undone so the next attempt starts from the same database."""

    def attempt(data):
        before = written()
        undo = transaction.savepoint()
        try:
            draft_import_file(name="draft.json", content=json.dumps(data).encode(), by=by, new_symbol=True)
        except InvalidInput:
            assert written() == before, "a refused import left rows written"
            transaction.savepoint_commit(undo)
            raise
        except Exception:
            transaction.savepoint_rollback(undo)
            raise
        transaction.savepoint_rollback(undo)

    return attempt


def kind_of_place(path: str) -> str:
    """The place without its indexes: record.votes[3].round and record.votes[7].round are one kind."""
    return re.sub(r"\[\d+\]", "[]", path)


def test_every_place_of_the_file_refuses_a_hostile_value_by_its_path_or_takes_it(rich_record, people):
    data = rich_record
    pristine, as_planned = json.dumps(data, sort_keys=True), validate(data)
    faults, taken, refused = [], {}, {}
    every = list(places(data))
    assert len(every) > 500  # the whole file: draft, sections, clauses with history, the record
    for path, container, key in every:
        for name, hostile in HOSTILE.items():
            outcome = mutated(data, container, key, hostile, validate)
            if isinstance(outcome, str):
                # The writing reads only the draft the validation made: one it made unchanged
                # (a place the import does not read) writes what the file without the value would.
                if outcome != as_planned:
                    taken.setdefault((kind_of_place(path), name), (path, container, key, hostile))
            elif not isinstance(outcome, InvalidInput):
                faults.append(f"{path} = {name}: {type(outcome).__name__}: {outcome}")
            elif not NAMES_A_PATH.match(outcome.message):
                faults.append(f"{path} = {name}: the message names no path: {outcome.message}")
            else:
                refused.setdefault(kind_of_place(path), (path, container, key, hostile))
    assert json.dumps(data, sort_keys=True) == pristine  # the validation changed nothing in the file
    assert not faults, "\n".join(faults[:60]) + f"\n({len(faults)} in all)"

    # What the validation takes is written: each kind of place with each value it took, imported in
    # full; and a sample of what it refused.
    attempt = import_in_full(people["admin"])
    samples = list(taken.values()) + list(refused.values())[::5]
    for path, container, key, hostile in samples:
        outcome = mutated(data, container, key, hostile, attempt)
        if not isinstance(outcome, Exception):
            continue
        shown = "nothing" if hostile is MISSING else repr(hostile)[:30]
        if not isinstance(outcome, InvalidInput):
            faults.append(f"{path} = {shown}: {type(outcome).__name__}: {outcome}")
        elif not NAMES_A_PATH.match(outcome.message):
            faults.append(f"{path} = {shown}: the message names no path: {outcome.message}")
    assert not faults, "\n".join(faults[:60]) + f"\n({len(faults)} in all)"
    assert Draft.objects.count() == 1  # only the original: every import was undone or refused
