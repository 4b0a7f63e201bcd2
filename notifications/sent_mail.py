"""Mail kept as files, so that someone trying the platform can read what it sent.

With no SMTP server named (the embedded default, ``codeofconduct/settings/local.py``) every email the
web process and the Celery workers send is written to ``EMAIL_FILE_PATH`` (``var/mail/``), one
message per file; administrators read them at *Sent mail* (``/mail/``, ``/api/v1/mail/``).
Production sends by SMTP and keeps nothing here.

Django's own file-based backend appends every message a connection sends to one ``.log`` file,
separated by a line of dashes that a message's own text may hold too. The backend below is that
backend writing each message to a file of its own instead, named ``<UTC time>-<random>.eml``: read
back whole with the standard ``email`` package, found by its name, newest first by its name.
"""

import os
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.core.mail.backends import filebased
from django.utils.translation import gettext as _

from codeofconduct.errors import InvalidInput, NotFound

BACKEND = f"{__name__}.EmailBackend"
SUFFIX = ".eml"
# A message's id is its file's name without the suffix: its UTC time to the microsecond, then 8
# random hex digits, so two processes sending at the same moment never write the same file.
MESSAGE_ID = re.compile(r"\d{8}-\d{6}-\d{6}-[0-9a-f]{8}")
# What the recipient filter reads: an address is at most 254 characters (RFC 5321).
RECIPIENT_FILTER_LIMIT = 254


class EmailBackend(filebased.EmailBackend):
    """Django's file-based backend (its folder checks, ``EMAIL_FILE_PATH``), one file per message."""

    def open(self):  # no stream is held open: each message opens, writes and closes its own file
        return False

    def close(self):
        pass

    def send_messages(self, email_messages):
        kept = 0
        for message in email_messages:
            if not message.recipients():  # as the SMTP backend does
                continue
            try:
                self._keep(message)
            except Exception:
                if not self.fail_silently:
                    raise
            else:
                kept += 1
        return kept

    def _keep(self, message) -> None:
        name = f"{datetime.now(UTC):%Y%m%d-%H%M%S-%f}-{secrets.token_hex(4)}"
        final = Path(self.file_path) / f"{name}{SUFFIX}"
        # Written under a hidden name first, so a reader never meets half a message.
        partial = final.with_name(f".{name}.part")
        with open(partial, "xb") as file:
            file.write(message.message().as_bytes())
        os.replace(partial, final)


@dataclass(frozen=True)
class Summary:
    """What the list shows of a message: its headers, decoded."""

    id: str
    sender: str
    to: list[str]
    subject: str
    date: datetime | None


class Header(NamedTuple):
    name: str
    value: str


@dataclass(frozen=True)
class Message(Summary):
    """One message as sent: its headers, its text part and its HTML part ("" when it has none)."""

    cc: list[str] = field(default_factory=list)
    text: str = ""
    html: str = ""
    headers: list[Header] = field(default_factory=list)


def in_use() -> bool:
    """Whether mail is kept here: false wherever it goes by SMTP (production, compose)."""
    return settings.EMAIL_BACKEND == BACKEND


def delivery() -> str:
    """Where this installation's mail goes, in a sentence for administrators."""
    if in_use():
        return _("Mail is kept as files in %(folder)s, one per message, and sent to nobody.") % {
            "folder": settings.EMAIL_FILE_PATH
        }
    if settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend":
        return _("Mail goes by SMTP to %(server)s; none is kept here.") % {
            "server": f"{settings.EMAIL_HOST or 'localhost'}:{settings.EMAIL_PORT}"
        }
    return _("Mail goes through %(backend)s; none is kept for this page.") % {"backend": settings.EMAIL_BACKEND}


def message_ids(*, to: str = "") -> list[str]:
    """The kept messages' ids, newest first; with ``to``, only those whose To or Cc holds it (any
    case). Empty when mail is not kept here.

    Filtering reads each message's headers: fine for the few thousand a trial installation sends.
    """
    if not in_use():
        return []
    try:
        names = os.listdir(settings.EMAIL_FILE_PATH)
    except FileNotFoundError:  # nothing sent yet
        return []
    ids = sorted((n.removesuffix(SUFFIX) for n in names if n.endswith(SUFFIX)), reverse=True)
    ids = [i for i in ids if MESSAGE_ID.fullmatch(i)]
    wanted = to.strip().lower()[:RECIPIENT_FILTER_LIMIT]
    if not wanted:
        return ids
    return [i for i in ids if (s := _read(i, headers_only=True)) is not None and _addressed(s, wanted)]


def summaries(ids: list[str]) -> list[Summary]:
    """The messages of ``ids`` in that order; one removed meanwhile is left out."""
    found = (_read(i, headers_only=True) for i in ids)
    return [_summary(i, m) for i, m in zip(ids, found, strict=True) if m is not None]


def message(message_id: str) -> Message:
    """One kept message.

    Raises ``InvalidInput`` for an id that is not one (only ids of this form ever name a file, so
    nothing outside the folder can be asked for) and ``NotFound`` for one not kept."""
    if not MESSAGE_ID.fullmatch(message_id):
        raise InvalidInput(_("A message id looks like 20261207-093000-123456-0a1b2c3d."))
    parsed = _read(message_id, headers_only=False) if in_use() else None
    if parsed is None:
        raise NotFound(_("No such message is kept here."))
    text_part = parsed.get_body(preferencelist=("plain",))
    html_part = parsed.get_body(preferencelist=("html",))
    return Message(
        **vars(_summary(message_id, parsed)),
        cc=_addresses(parsed, "Cc"),
        text=_content(text_part),
        html=_content(html_part),
        headers=[Header(name, _unfolded(value)) for name, value in parsed.items()],
    )


def _read(message_id: str, *, headers_only: bool) -> EmailMessage | None:
    path = Path(settings.EMAIL_FILE_PATH) / f"{message_id}{SUFFIX}"
    try:
        with open(path, "rb") as file:
            return BytesParser(policy=policy.default).parse(file, headersonly=headers_only)
    except FileNotFoundError:
        return None


def _summary(message_id: str, parsed: EmailMessage) -> Summary:
    date = getattr(parsed["Date"], "datetime", None)
    if date is not None and date.tzinfo is None:  # "-0000" (Django's default): UTC, says RFC 5322
        date = date.replace(tzinfo=UTC)
    return Summary(
        id=message_id,
        sender=_unfolded(parsed.get("From", "")),
        to=_addresses(parsed, "To"),
        subject=_unfolded(parsed.get("Subject", "")),
        date=date,
    )


def _unfolded(value) -> str:
    """A header's value on one line: a long one was folded onto the next ("\\n <http...>")."""
    return " ".join(str(value).split())


def _addresses(parsed: EmailMessage, name: str) -> list[str]:
    header = parsed.get(name)
    if header is None:
        return []
    addresses = getattr(header, "addresses", None)
    return [str(a) for a in addresses] if addresses else [_unfolded(header)]


def _addressed(parsed: EmailMessage, wanted: str) -> bool:
    return any(wanted in str(parsed.get(name, "")).lower() for name in ("To", "Cc"))


def _content(part) -> str:
    if part is None:
        return ""
    try:
        return part.get_content()
    except (LookupError, UnicodeError):  # a charset Python does not know: shown as UTF-8, as best it can
        return (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
