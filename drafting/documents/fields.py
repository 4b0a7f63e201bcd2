"""How one value of the JSON file is read and checked: the checks (``need``, ``count``, ``moment``,
``choice``, ``file_id``, ``checked``, ``recorded_name``) and the kinds of field ``schema`` declares
each key as, one rule per kind: whatever a crafted file puts under a key (a list, an object, a
number, a boolean, nothing, a long string), its kind refuses it or reads it as what the writing
takes, so nothing past the validation meets a value of the wrong type.

A fault is refused naming the file's path to it ("record.votes[3].updated_at: ...") with
``field="file"``, and the message says what was expected.
"""

import datetime
import unicodedata
from dataclasses import dataclass
from datetime import UTC, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.identity import INVISIBLE, MAX_ORGANIZATION_NAME, normalise, organization_name_fits
from accounts.models import StakeholderGroup
from codeofconduct.errors import DomainError, InvalidInput

from ..models import Snapshot
from ..services.common import LARGEST_COUNT, clean_text

EARLIEST = datetime.datetime(1970, 1, 1, tzinfo=UTC)
LATEST_SCHEDULED = datetime.datetime(3000, 1, 1, tzinfo=UTC)
CLOCK_SKEW = timedelta(minutes=15)  # how far ahead another installation's clock may run
USERNAME_LIMIT = 150  # accounts.User.username
KINDS = {str: "text", dict: "an object", list: "a list"}  # what ``need`` says it expected


def at(path: str, key) -> str:
    """The file's path to ``key`` of the object at ``path`` (the file itself: "")."""
    return f"{path}.{key}" if path else str(key)


def shown(value) -> str:
    """A value of the file as a message quotes it: at most 40 characters of it."""
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:40]}…"


def refuse(path: str, what: str):
    raise InvalidInput(f"{path}: {what}.", field="file")


def need(container, key, path, kind=str):
    value = container.get(key) if isinstance(container, dict) else None
    if not isinstance(value, kind) or (kind is str and not value.strip()):
        refuse(at(path, key), f"missing or not {KINDS.get(kind, kind.__name__)}")
    return value


def items(container: dict, key: str, path: str) -> list:
    """A list, or nothing (an empty one)."""
    value = container.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        refuse(at(path, key), "not a list")
    return value


def count(
    container: dict, key: str, path: str, *, default=None, required=False, most: int = LARGEST_COUNT
) -> int | None:
    """A whole number from 0 to ``most``; nothing (null or no key) is ``default``."""
    value = container.get(key)
    if value is None:
        value = default
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= most:
        refuse(at(path, key), f"not a whole number from 0 to {most:,}")
    return value


def file_id(value, path: str, *, required: bool):
    """An id of the exporting installation's, which only links the file's parts together: a whole
    number (so one can be looked up, compared and kept in a set), or nothing unless ``required``."""
    if value is None:
        if required:
            refuse(path, "missing: the id the file's other parts name this one by")
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        refuse(path, f"{shown(value)} is not an id (a whole number)")
    return value


def moment(
    container: dict, key: str, path: str, *, required: bool = False, scheduled: bool = False
) -> datetime.datetime | None:
    """A date and time from the file (ISO 8601, as the export writes them; naive ones are UTC), in
    UTC. Something that happened is dated from 1970 to now (give or take ``CLOCK_SKEW`` between two
    installations' clocks); a ``scheduled`` one (a round's planned opening or closing) may be later,
    though not past ``LATEST_SCHEDULED``, so every date can still be shown in any time zone."""
    value, path = container.get(key), at(path, key)
    if value is None and not required:
        return None
    try:
        when = parse_datetime(value) if isinstance(value, str) else None
        if when is not None:
            when = when.astimezone(UTC) if timezone.is_aware(when) else when.replace(tzinfo=UTC)
    except (ValueError, OverflowError) as exc:
        raise InvalidInput(f"{path}: {value[:40]!r} is not a date and time that exists.", field="file") from exc
    if when is None:
        refuse(path, "not a date and time")
    if when < EARLIEST:
        refuse(path, f"{value[:40]!r} is before 1970")
    latest = LATEST_SCHEDULED if scheduled else timezone.now() + CLOCK_SKEW
    if when > latest:
        refuse(path, f"{value[:40]!r} is {'after 2999' if scheduled else 'in the future'}")
    return when


def choice(container: dict, key: str, path: str, choices, default=None, required=True) -> str | None:
    """One of ``choices``; nothing is ``default``, or None where none is ``required``."""
    value = container.get(key)
    if value is None:
        value = default
    if value is None and not required:
        return None
    if not isinstance(value, str) or value not in choices.values:
        refuse(at(path, key), f"unknown value {shown(value)}")
    return value


def checked(path: str, clean, *args, **kwargs):
    """A service check run on a value from the file, its fault named by the file's path (and the
    field the service names)."""
    try:
        return clean(*args, **kwargs)
    except DomainError as exc:
        where = at(path, exc.field) if exc.field else path
        raise InvalidInput(f"{where}: {exc.message}", field="file") from exc


def recorded_name(value, path: str) -> str:
    """A person's name as the file records it: a visible line of at most 150 characters."""
    name = normalise(value) if isinstance(value, str) else ""
    if not name or len(name) > USERNAME_LIMIT:
        refuse(path, f"not a name (a user name of at most {USERNAME_LIMIT} characters)")
    hidden = next((c for c in name if c != " " and unicodedata.category(c) in INVISIBLE), None)
    if hidden is not None:
        refuse(path, f"a name holds an invisible character (U+{ord(hidden):04X})")
    return name


@dataclass(frozen=True)
class Field:
    """How one key of an object is read: ``read`` checks it and gives its value. A ``column`` goes
    to the object's row as read; the rest (ids, people, organizations) the writer resolves."""

    column = True

    def read(self, item: dict, key: str, path: str, known):
        return item.get(key)  # as given: checked by the code named where it is declared


@dataclass(frozen=True)
class Need(Field):
    """Present, of ``kind``; a string not blank."""

    kind: type = str

    def read(self, item, key, path, known):
        return need(item, key, path, self.kind)


@dataclass(frozen=True)
class Items(Field):
    """A list (of objects, each read by its own table where the import comes to it), or nothing:
    an empty one."""

    column = False

    def read(self, item, key, path, known):
        return items(item, key, path)


@dataclass(frozen=True)
class Count(Field):
    """A whole number from 0 to ``most`` (what its column holds); nothing is ``default``."""

    default: int | None = None
    required: bool = False
    most: int = LARGEST_COUNT

    def read(self, item, key, path, known):
        return count(item, key, path, default=self.default, required=self.required, most=self.most)


@dataclass(frozen=True)
class Moment(Field):
    required: bool = False
    scheduled: bool = False

    def read(self, item, key, path, known):
        return moment(item, key, path, required=self.required, scheduled=self.scheduled)


@dataclass(frozen=True)
class Choice(Field):
    """One of ``choices``; nothing is ``default``, or None unless ``required``."""

    choices: type = None
    default: str | None = None
    required: bool = True

    def read(self, item, key, path, known):
        return choice(item, key, path, self.choices, self.default, self.required)


@dataclass(frozen=True)
class Text(Field):
    """Text checked as the service that writes it checks it (``clean_text``, which strips it);
    ``limit`` names a setting or is a number of characters. Nothing is "" (refused if
    ``required``); ``need``: present and not blank before that."""

    limit: int | str = "MAX_TITLE"
    one_line: bool = False
    required: bool = True
    need: bool = False

    def read(self, item, key, path, known):
        value = need(item, key, path) if self.need else item.get(key)
        if value is not None and not isinstance(value, str):
            refuse(at(path, key), "not text")
        limit = getattr(settings, self.limit) if isinstance(self.limit, str) else self.limit
        return checked(path, clean_text, value, field=key, limit=limit, one_line=self.one_line, required=self.required)


@dataclass(frozen=True)
class OrganizationName(Text):
    """An organization's name, at most ``limit`` characters (its column's) also as sign-up writes
    it, which may be longer than the file's."""

    limit: int = MAX_ORGANIZATION_NAME
    one_line: bool = True
    need: bool = True

    def read(self, item, key, path, known):
        name = super().read(item, key, path, known)
        if not organization_name_fits(name):
            refuse(at(path, key), f"longer than {self.limit} characters once written as a name here")
        return name


@dataclass(frozen=True)
class Flag(Field):
    """True or false; nothing is ``default``."""

    default: bool | None = False

    def read(self, item, key, path, known):
        value = item.get(key)
        if value is None:
            return self.default
        if not isinstance(value, bool):
            refuse(at(path, key), "not true or false")
        return value


@dataclass(frozen=True)
class Key(Field):
    """The object's id in the file (``file_id``), which only links the file's parts together."""

    column = False
    required: bool = False

    def read(self, item, key, path, known):
        return file_id(item.get(key), at(path, key), required=self.required)


@dataclass(frozen=True)
class Stamp(Moment):
    """When the object was made or last changed: set after the insert, which stamps the moment."""

    column = False


@dataclass(frozen=True)
class Nested(Field):
    """An object (or a list of them) read by its own table when the import comes to it."""

    column = False


@dataclass(frozen=True)
class Words(Field):
    """Text, or nothing (None for nothing or ""): the service it is given to checks the rest."""

    def read(self, item, key, path, known):
        value = item.get(key)
        if value in (None, ""):
            return None
        if not isinstance(value, str):
            refuse(at(path, key), "not text")
        return value


@dataclass(frozen=True)
class Object(Field):
    """An object of ``table``'s keys, as that table reads them, or nothing (None) unless
    ``required``. An organization (``schema.ORGANIZATION``) is matched or made when written
    (``writing.Organizations``)."""

    column = False
    table: dict | None = None
    required: bool = False

    def read(self, item, key, path, known):
        value = item.get(key)
        if value is None and not self.required:
            return None
        return self.table.read(value, at(path, key), known=known)


@dataclass(frozen=True)
class Name(Field):
    """A person as the file names them (``recorded_name``), kept as given: the writer makes the
    placeholder account. ``optional``: nothing given (null or "") is no one."""

    column = False
    optional: bool = False

    def read(self, item, key, path, known):
        value = item.get(key)
        if self.optional and value in (None, ""):
            return None
        recorded_name(value, at(path, key))
        return value


@dataclass(frozen=True)
class Link(Field):
    """The id (``file_id``) of another object of the file, of those ``known`` as ``to``."""

    column = False
    to: str = "clauses"
    required: bool = True

    def read(self, item, key, path, known):
        value = file_id(item.get(key), at(path, key), required=self.required)
        if value is not None and value not in known[self.to]:
            refuse(at(path, key), "refers to nothing in the file")
        return value


@dataclass(frozen=True)
class On(Field):
    """What a comment, vote or result is on: its ``clause`` or else its ``amendment`` (one of the
    two), as ``("clause" or "amendment", the id)``."""

    column = False

    def read(self, item, key, path, known):
        given = {name: file_id(item.get(name), at(path, name), required=False) for name in ("clause", "amendment")}
        if given["clause"] is None and given["amendment"] is None:
            refuse(path, "on no clause or amendment (give the id of one)")
        name = "clause" if given["clause"] is not None else "amendment"
        on = name, Link(to=f"{name}s").read(item, name, path, known)
        if name == "clause" and given["amendment"] is not None:
            refuse(at(path, "amendment"), "on a clause and an amendment at once (give null for one)")
        return on


@dataclass(frozen=True)
class Groups(Field):
    """A list of stakeholder groups; nothing is none."""

    def read(self, item, key, path, known):
        groups = items(item, key, path)
        if any(not isinstance(g, str) or g not in StakeholderGroup.values for g in groups):
            refuse(at(path, key), "not a list of stakeholder groups")
        return groups


@dataclass(frozen=True)
class ByGroup(Field):
    """A result's counts per stakeholder group, as a tally makes them; nothing is none."""

    def read(self, item, key, path, known):
        value, path = item.get(key), at(path, key)
        value = {} if value is None else value
        if not isinstance(value, dict) or any(group not in StakeholderGroup.values for group in value):
            refuse(path, "not an object of stakeholder groups")
        for group, counts in value.items():
            if not isinstance(counts, dict) or set(counts) != {"yes", "no", "abstain"}:
                refuse(at(path, group), "not an object of yes, no and abstain")
            for said in counts:
                count(counts, said, at(path, group), required=True)
        return value


@dataclass(frozen=True)
class Identity(Field):
    """The identity a snapshot was circulated under (``Snapshot.IDENTITY``), as the file recorded it;
    the writer replaces a symbol another draft holds here."""

    column = False

    def read(self, item, key, path, known):
        value, path = item.get(key), at(path, key)
        value = {} if value is None else value
        if not isinstance(value, dict) or set(value) - set(Snapshot.IDENTITY):
            refuse(path, "not a document identity")
        identity = {}
        for name, said in value.items():
            if name == "titles_in_text":
                identity[name] = Flag().read(value, name, path, known)
            elif not isinstance(said, str):
                refuse(at(path, name), "not text")
            else:
                identity[name] = Text(300, one_line=True, required=False).read(value, name, path, known)
        return identity


class Fields(dict):
    """An object of the file: each key with how it is read, in the order they are checked."""

    def read(self, item: dict, path: str, keys=None, *, known: dict | None = None) -> dict:
        """The ``keys`` of ``item`` (every one, when none are named), read and checked; a ``Link``
        looks the id up among those ``known``. Anything but an object is refused."""
        if not isinstance(item, dict):
            refuse(path, "not an object")
        return {key: self[key].read(item, key, path, known) for key in (self if keys is None else keys)}

    def split(self, key: str) -> tuple[tuple, tuple]:
        """The keys up to ``key`` (included) and those after it: a check that spans several keys
        runs between the two."""
        keys = tuple(self)
        at = keys.index(key) + 1
        return keys[:at], keys[at:]

    def columns(self, values: dict) -> dict:
        """What the object's row takes as read (of ``values``, which may hold more, as its path)."""
        return {key: value for key, value in values.items() if key in self and self[key].column}
