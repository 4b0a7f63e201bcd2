"""How one value of the JSON file is read and checked: the checks (``need``, ``count``, ``moment``,
``choice``, ``checked``, ``recorded_name``) and the kinds of field ``schema`` declares each key as.

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

from accounts.identity import INVISIBLE, normalise
from accounts.models import StakeholderGroup
from codeofconduct.errors import DomainError, InvalidInput

from ..models import Snapshot
from ..services.common import LARGEST_COUNT, clean_text

EARLIEST = datetime.datetime(1970, 1, 1, tzinfo=UTC)
LATEST_SCHEDULED = datetime.datetime(3000, 1, 1, tzinfo=UTC)
CLOCK_SKEW = timedelta(minutes=15)  # how far ahead another installation's clock may run
USERNAME_LIMIT = 150  # accounts.User.username


def need(container, key, path, kind=str):
    value = container.get(key) if isinstance(container, dict) else None
    if not isinstance(value, kind) or (kind is str and not value.strip()):
        raise InvalidInput(f"{path}.{key}: missing or not a {kind.__name__}.", field="file")
    return value


def items(container: dict, key: str, path: str) -> list:
    value = container.get(key) or []
    if not isinstance(value, list):
        raise InvalidInput(f"{path}.{key}: not a list.", field="file")
    return value


def count(container: dict, key: str, path: str, *, default=None, required=False) -> int | None:
    value = container.get(key, default)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= LARGEST_COUNT:
        raise InvalidInput(f"{path}.{key}: not a whole number from 0.", field="file")
    return value


def moment(
    container: dict, key: str, path: str, *, required: bool = False, scheduled: bool = False
) -> datetime.datetime | None:
    """A date and time from the file (ISO 8601, as the export writes them; naive ones are UTC), in
    UTC. Something that happened is dated from 1970 to now (give or take ``CLOCK_SKEW`` between two
    installations' clocks); a ``scheduled`` one (a round's planned opening or closing) may be later,
    though not past ``LATEST_SCHEDULED``, so every date can still be shown in any time zone."""
    value = container.get(key)
    if value is None and not required:
        return None
    try:
        when = parse_datetime(value) if isinstance(value, str) else None
        if when is not None:
            when = when.astimezone(UTC) if timezone.is_aware(when) else when.replace(tzinfo=UTC)
    except (ValueError, OverflowError) as exc:
        raise InvalidInput(f"{path}.{key}: {value[:40]!r} is not a date and time that exists.", field="file") from exc
    if when is None:
        raise InvalidInput(f"{path}.{key}: not a date and time.", field="file")
    if when < EARLIEST:
        raise InvalidInput(f"{path}.{key}: {value[:40]!r} is before 1970.", field="file")
    latest = LATEST_SCHEDULED if scheduled else timezone.now() + CLOCK_SKEW
    if when > latest:
        said = "after 2999" if scheduled else "in the future"
        raise InvalidInput(f"{path}.{key}: {value[:40]!r} is {said}.", field="file")
    return when


def choice(container: dict, key: str, path: str, choices, default=None) -> str:
    value = container.get(key, default)
    if value not in choices.values:
        raise InvalidInput(f"{path}.{key}: unknown value {value!r}.", field="file")
    return value


def checked(path: str, clean, *args, **kwargs):
    """A service check run on a value from the file, its fault named by the file's path."""
    try:
        return clean(*args, **kwargs)
    except DomainError as exc:
        raise InvalidInput(f"{path}: {exc.field or 'value'}: {exc.message}", field="file") from exc


def recorded_name(value, path: str) -> str:
    """A person's name as the file records it: a visible line of at most 150 characters."""
    name = normalise(value) if isinstance(value, str) else ""
    if not name or len(name) > USERNAME_LIMIT:
        raise InvalidInput(f"{path}: not a name (a user name of at most {USERNAME_LIMIT} characters).", field="file")
    hidden = next((c for c in name if c != " " and unicodedata.category(c) in INVISIBLE), None)
    if hidden is not None:
        raise InvalidInput(f"{path}: a name holds an invisible character (U+{ord(hidden):04X}).", field="file")
    return name


@dataclass(frozen=True)
class Field:
    """How one key of an object is read: ``read`` checks it and gives its value. A ``column`` goes
    to the object's row as read; the rest (ids, people, organizations) the writer resolves."""

    column = True

    def read(self, item: dict, key: str, path: str, known: dict):
        return item.get(key)  # as given: the service that writes it checks it


@dataclass(frozen=True)
class Need(Field):
    """Present, of ``kind``; a string not blank."""

    kind: type = str

    def read(self, item, key, path, known):
        return need(item, key, path, self.kind)


@dataclass(frozen=True)
class Items(Field):
    """A list of objects, each read by its own table, or nothing (an empty one)."""

    column = False

    def read(self, item, key, path, known):
        return items(item, key, path)


@dataclass(frozen=True)
class Count(Field):
    """A whole number from 0 that a column holds; ``most`` caps it."""

    default: int | None = None
    required: bool = False
    most: int | None = None

    def read(self, item, key, path, known):
        value = count(item, key, path, default=self.default, required=self.required)
        return value if self.most is None else min(value, self.most)


@dataclass(frozen=True)
class Moment(Field):
    required: bool = False
    scheduled: bool = False

    def read(self, item, key, path, known):
        return moment(item, key, path, required=self.required, scheduled=self.scheduled)


@dataclass(frozen=True)
class Choice(Field):
    choices: type = None
    default: str | None = None

    def read(self, item, key, path, known):
        return choice(item, key, path, self.choices, self.default)


@dataclass(frozen=True)
class Text(Field):
    """Text checked as the service that writes it checks it (``clean_text``); ``limit`` names a
    setting or is a number of characters. ``need``: present and not blank before that."""

    limit: int | str = "MAX_TITLE"
    one_line: bool = False
    required: bool = True
    need: bool = False

    def read(self, item, key, path, known):
        value = need(item, key, path) if self.need else item.get(key)
        limit = getattr(settings, self.limit) if isinstance(self.limit, str) else self.limit
        return checked(path, clean_text, value, field=key, limit=limit, one_line=self.one_line, required=self.required)


@dataclass(frozen=True)
class Plain(Field):
    """As given, or "" for nothing."""

    def read(self, item, key, path, known):
        return item.get(key) or ""


@dataclass(frozen=True)
class Loose(Field):
    """Whatever is given, as text of at most ``length`` characters."""

    length: int | None = None

    def read(self, item, key, path, known):
        return str(item.get(key) or "")[: self.length]


@dataclass(frozen=True)
class Flag(Field):
    default: bool = False

    def read(self, item, key, path, known):
        return bool(item.get(key, self.default))


@dataclass(frozen=True)
class Key(Field):
    """An id of the exporting installation's, which only links the file's parts together."""

    column = False


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
    """A string, or nothing (None for nothing or "")."""

    def read(self, item, key, path, known):
        value = item.get(key)
        if value in (None, ""):
            return None
        if not isinstance(value, str):
            raise InvalidInput(f"{path}.{key}: not a string.", field="file")
        return value


@dataclass(frozen=True)
class Organization(Field):
    """An organization as the file gives it: an object of ``table``'s keys (and, for one this
    installation does not have yet, its country), matched or made when written
    (``writing.Organizations``). ``required``: present."""

    column = False
    table: dict | None = None
    required: bool = False

    def read(self, item, key, path, known):
        value = need(item, key, path, dict) if self.required else item.get(key)
        return self.check(value, f"{path}.{key}")

    def check(self, value, path: str) -> dict | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            raise InvalidInput(f"{path}: not an object.", field="file")
        self.table.read(value, path)
        return value


@dataclass(frozen=True)
class Name(Field):
    """A person as the file names them (``recorded_name``), kept as given: the writer makes the
    placeholder account. ``optional``: nothing given is no one."""

    column = False
    optional: bool = False

    def read(self, item, key, path, known):
        value = item.get(key)
        if self.optional and not value:
            return None
        recorded_name(value, f"{path}.{key}")
        return value


@dataclass(frozen=True)
class Link(Field):
    """The id of another object of the file, of those ``known`` as ``to``."""

    column = False
    to: str = "clauses"
    required: bool = True

    def read(self, item, key, path, known):
        value = item.get(key)
        if value is None and not self.required:
            return None
        if value not in known[self.to]:
            raise InvalidInput(f"{path}.{key}: refers to nothing in the file.", field="file")
        return value


@dataclass(frozen=True)
class On(Field):
    """What a comment, vote or result is on: its ``clause`` if given, else its ``amendment``, as
    ``("clause" or "amendment", the id)``."""

    column = False

    def read(self, item, key, path, known):
        on_clause = item.get("clause") is not None
        name = "clause" if on_clause else "amendment"
        return name, Link(to=f"{name}s").read(item, name, path, known)


@dataclass(frozen=True)
class Groups(Field):
    def read(self, item, key, path, known):
        groups = item.get(key) or []
        if not isinstance(groups, list) or any(g not in StakeholderGroup.values for g in groups):
            raise InvalidInput(f"{path}.{key}: not a list of stakeholder groups.", field="file")
        return groups


@dataclass(frozen=True)
class ByGroup(Field):
    """A result's counts per stakeholder group, as a tally makes them."""

    def read(self, item, key, path, known):
        value, path = item.get(key) or {}, f"{path}.{key}"
        if not isinstance(value, dict) or any(group not in StakeholderGroup.values for group in value):
            raise InvalidInput(f"{path}: not an object of stakeholder groups.", field="file")
        for group, counts in value.items():
            if not isinstance(counts, dict) or set(counts) != {"yes", "no", "abstain"}:
                raise InvalidInput(f"{path}.{group}: not an object of yes, no and abstain.", field="file")
            for said in counts:
                count(counts, said, f"{path}.{group}", required=True)
        return value


@dataclass(frozen=True)
class Identity(Field):
    """The identity a snapshot was circulated under (``Snapshot.IDENTITY``), as the file recorded it;
    the writer replaces a symbol another draft holds here."""

    column = False

    def read(self, item, key, path, known):
        value = item.get(key) or {}
        if not isinstance(value, dict) or set(value) - set(Snapshot.IDENTITY):
            raise InvalidInput(f"{path}.{key}: not a document identity.", field="file")
        identity = {}
        for name, said in value.items():
            if name == "titles_in_text":
                identity[name] = bool(said)
                continue
            if not isinstance(said, str):
                raise InvalidInput(f"{path}.{key}.{name}: not text.", field="file")
            identity[name] = checked(path, clean_text, said, field=name, limit=300, one_line=True, required=False)
        return identity


class Fields(dict):
    """An object of the file: each key with how it is read, in the order they are checked."""

    def read(self, item: dict, path: str, keys=None, *, known: dict | None = None) -> dict:
        """The ``keys`` of ``item`` (every one, when none are named), read and checked; a ``Link``
        looks the id up among those ``known``."""
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
