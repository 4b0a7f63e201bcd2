"""The one way request input is read: numbers, text, JSON bodies and their sizes.

Everything a client sends passes here before a view sees it, so hostile input is answered with a
400 or 413 that says what was wrong, never a 500:

- ``whole_number`` reads ids and versions from query strings, forms and paths;
- ``InputGuardMiddleware`` refuses over-large bodies (413), and control characters in the path,
  the query string and form fields, or bytes there that are not UTF-8 (400), for pages and the
  API alike;
- ``JSONParser`` (DRF's default parser here) refuses bodies that are not a JSON object, nested too
  deep, or carrying control characters, before any serializer runs;
- ``refuse_line_breaks`` is what services call for single-line fields (titles, labels, names).
"""

import json
import re
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.http import JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser as BaseJSONParser
from rest_framework.parsers import MultiPartParser as BaseMultiPartParser

from .errors import InvalidInput, size_text
from .pages import TITLES

# The largest id a database column holds (a signed 64-bit integer).
LARGEST_ID = 2**63 - 1

# C0 controls but tab, line feed and carriage return; DEL and the C1 controls; lone surrogates,
# which JSON can spell ("\ud800") but no database stores; the noncharacters U+FDD0..U+FDEF, U+FFFE
# and U+FFFF, which XML cannot hold, so one in a clause would break every DOCX and Akoma Ntoso
# export of the draft. None of them belongs in a clause.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
LINE_BREAKS = re.compile("[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# Embeddings, overrides and isolates reorder what follows them on screen ("Trojan Source"): a label
# that holds one can read as another. Clause text may need the plain marks (U+200E, U+200F).
DIRECTION_OVERRIDES = re.compile("[\u202a-\u202e\u2066-\u2069]")


def whole_number(raw, default=None):
    """``raw`` as a non-negative int an id column can hold, or ``default``.

    ASCII digits only: ``"²".isdigit()`` is true but ``int("²")`` fails, and a number past the
    largest id can match nothing.
    """
    if raw is None or not isinstance(raw, str) or not raw.isascii() or not raw.isdigit() or len(raw) > 19:
        return default
    value = int(raw)
    return value if value <= LARGEST_ID else default


def control_character(text: str) -> str | None:
    """The first control character in ``text``, as ``U+0000``, or None."""
    found = CONTROL_CHARACTERS.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def refuse_control_characters(text: str, *, field: str | None = None) -> None:
    bad = control_character(text)
    if bad:
        raise InvalidInput(
            _("This text holds a control character (%(character)s); remove it and send it again.") % {"character": bad},
            field=field,
        )


def refuse_direction_overrides(text: str, *, field: str) -> None:
    """Labels people choose for themselves and others then read (token names)."""
    found = DIRECTION_OVERRIDES.search(text or "")
    if found:
        raise InvalidInput(
            _("This text holds a character that reorders what follows it (%(character)s); remove it.")
            % {"character": f"U+{ord(found.group()):04X}"},
            field=field,
        )


def refuse_line_breaks(text: str, *, field: str, label: str | None = None) -> str:
    """Single-line fields (titles, labels, names) end up in email subjects and headings. ``label``
    names the field as the sentence's subject ("The name"), in the reader's language."""
    if LINE_BREAKS.search(text or ""):
        if label is None:
            raise InvalidInput(_("This must fit on one line: remove the line breaks."), field=field)
        # Translators: label is what must fit on one line, e.g. "The name", "A token's name", "Title".
        raise InvalidInput(_("%(label)s must fit on one line: remove the line breaks.") % {"label": label}, field=field)
    return text


def first_bad_string(value, path: str = "", depth: int = 0):
    """(path, problem) for the first string in a parsed JSON value that holds a control character or
    the first place nested deeper than the limit; None when the value is clean. Iterative enough:
    the parser has already bounded the depth Python's recursion could reach."""
    if depth > settings.MAX_JSON_DEPTH:
        most = settings.MAX_JSON_DEPTH
        # Translators: follows the path of a field of a JSON body ("clauses[3].text is nested ...").
        nested = ngettext("is nested more than %(depth)d level deep", "is nested more than %(depth)d levels deep", most)
        return path or "body", nested % {"depth": most}
    if isinstance(value, str):
        bad = control_character(value)
        # Translators: follows the path of a field of a JSON body ("title holds a control character (U+0000)").
        return (path or "body", _("holds a control character (%(character)s)") % {"character": bad}) if bad else None
    if isinstance(value, dict):
        for key, item in value.items():
            bad = control_character(key)
            if bad:
                # Translators: follows the path of a field of a JSON body.
                problem = _("has a key holding a control character (%(character)s)") % {"character": bad}
                return (path or "body", problem)
            found = first_bad_string(item, f"{path}.{key}" if path else key, depth + 1)
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = first_bad_string(item, f"{path}[{index}]" if path else f"[{index}]", depth + 1)
            if found:
                return found
    return None


class JSONParser(BaseJSONParser):
    """DRF's JSON parser with the limits a public API needs.

    The body must be an object; nesting past ``MAX_JSON_DEPTH`` and control characters in any
    string are 400 naming where. (Its size is Django's check: DRF reads JSON through
    ``request.body``, and ``errors.api_exception_handler`` answers an over-large one with 413.)
    """

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ParseError(_("The JSON body is not valid %(encoding)s.") % {"encoding": encoding}) from exc
        if json_nesting(text) > settings.MAX_JSON_DEPTH:
            raise ParseError(
                ngettext(
                    "The JSON body is nested more than %(depth)d level deep.",
                    "The JSON body is nested more than %(depth)d levels deep.",
                    settings.MAX_JSON_DEPTH,
                )
                % {"depth": settings.MAX_JSON_DEPTH}
            )
        try:
            data = json.loads(text, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as exc:
            # Translators: the error is the JSON parser's own words, in English.
            raise ParseError(_("The body is not valid JSON: %(error)s") % {"error": exc}) from exc
        if not isinstance(data, dict):
            raise ParseError(_("The body must be a JSON object ({...}) with the fields this endpoint takes."))
        found = first_bad_string(data)
        if found:
            # Translators: a field's path, then what is wrong with it ("title holds a control character (U+0000)").
            raise ParseError(_("%(path)s %(problem)s.") % {"path": found[0], "problem": found[1]})
        return data


class MultiPartParser(BaseMultiPartParser):
    """DRF's multipart parser, refusing fields whose bytes were not UTF-8 (read as U+FFFD) whatever
    the method: the input guard sees only a POST's fields."""

    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        if any(decoded_badly(name, values) for name, values in parsed.data.lists()):
            raise ParseError(_("The form holds bytes that are not UTF-8 text."))
        return parsed


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
BRACKETS = re.compile(r"[\[\]{}]")


def json_nesting(text: str) -> int:
    """How deep brackets nest in ``text`` outside strings, counted before ``json.loads`` recurses."""
    deepest = depth = 0
    for bracket in BRACKETS.findall(JSON_STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        if depth > deepest:
            deepest = depth
            if deepest > settings.MAX_JSON_DEPTH:
                break
    return deepest


REPLACED = "\ufffd"  # what a decoder writes for bytes it cannot read


def decoded_badly(name: str, values: list[str]) -> bool:
    """Whether a multipart field held bytes that were not UTF-8: Django decodes a part so, with
    U+FFFD in their place, and its raw bytes are gone by the time anyone reads it."""
    return REPLACED in name or any(REPLACED in value for value in values)


def not_utf8(encoded: bytes) -> bool:
    """Whether a URL-encoded text (a query string, a form's body) holds bytes that are not UTF-8,
    raw or percent-encoded. Django would read each as U+FFFD and store that in their place."""
    try:
        unquote_to_bytes(encoded).decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def is_api(request) -> bool:
    return request.path.startswith("/api/")


def refusal(request, status: int, message: str):
    """A 400 or 413 in the form the door speaks: JSON for the API, the error page otherwise."""
    if is_api(request):
        return JsonResponse({"detail": message}, status=status)
    title = TITLES.get(status) or _("This cannot be done")
    return render(request, "error.html", {"title": title, "message": message, "status": status}, status=status)


class InputGuardMiddleware:
    """Refuses, before any view runs, input no view should have to think about."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.check(request) or self.get_response(request)

    def check(self, request):
        length = whole_number(request.META.get("CONTENT_LENGTH") or "0", default=0)
        if length > settings.MAX_REQUEST_BYTES:
            limit = size_text(settings.MAX_REQUEST_BYTES)
            return refusal(
                request,
                413,
                _("The request is %(size)s bytes, larger than %(limit)s; send a smaller file.")
                % {"size": f"{length:,}", "limit": limit},
            )
        if control_character(request.path):
            return refusal(request, 400, _("The address holds a control character."))
        if not_utf8(request.META.get("QUERY_STRING", "").encode("iso-8859-1", "replace")):
            return refusal(request, 400, _("The query string holds bytes that are not UTF-8 text."))
        if request.content_type == "application/x-www-form-urlencoded":
            try:
                body = request.body
            except RequestDataTooBig:
                limit = size_text(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
                return refusal(
                    request, 413, _("The form's fields hold more than %(limit)s; shorten them.") % {"limit": limit}
                )
            except (ValueError, UnreadablePostError):  # a Content-Length that is no number, a cut body
                return refusal(request, 400, _("The form could not be read; send it again from the page."))
            if not_utf8(body):
                return refusal(
                    request, 400, _("The form holds bytes that are not UTF-8 text; send it again from the page.")
                )
        for name, values in request.GET.lists():
            if control_character(name) or any(control_character(v) for v in values):
                return refusal(
                    request, 400, _("The query parameter %(name)s holds a control character.") % {"name": repr(name)}
                )
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            try:
                fields = request.POST.lists()
            except RequestDataTooBig:
                limit = size_text(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
                return refusal(
                    request, 413, _("The form's fields hold more than %(limit)s; shorten them.") % {"limit": limit}
                )
            except (TooManyFieldsSent, SuspiciousOperation, MultiPartParserError, ValueError):
                # Refused here, so Django does not log a malformed body with a traceback: a traceback
                # in the log means a bug, and a client's bad body is not one.
                return refusal(request, 400, _("The form could not be read; send it again from the page."))
            multipart = request.content_type == "multipart/form-data"
            for name, values in fields:
                if control_character(name) or any(control_character(v) for v in values):
                    return refusal(
                        request,
                        400,
                        _("The field %(name)s holds a control character; remove it and send it again.")
                        % {"name": repr(name)},
                    )
                if multipart and decoded_badly(name, values):
                    return refusal(
                        request, 400, _("The form holds bytes that are not UTF-8 text; send it again from the page.")
                    )
        return None


def local_address(target, fallback: str) -> str:
    """``target`` when it is a path on this site, else ``fallback``: ``next`` fields never lead away
    (``//host`` and ``/\\host`` are other sites to a browser)."""
    if (
        isinstance(target, str)
        and target.startswith("/")
        and not control_character(target)
        and url_has_allowed_host_and_scheme(target, allowed_hosts=None)
        and not target.startswith(("//", "/\\"))
    ):
        return target
    return fallback
