"""Reading a search request: the terms of the query, the filters (draft, kind, group, round) and
the page, each checked, with InvalidInput naming the field it cannot answer."""

import re
from dataclasses import dataclass

from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import StakeholderGroup
from codeofconduct.errors import InvalidInput
from codeofconduct.inputs import whole_number

from .. import rules
from ..models import Draft, Round

# The kinds a person may ask for, in the order their groups are shown. "clause" covers both the
# current texts and earlier versions (a hit's ``current`` says which).
KINDS = {
    "clause": gettext_lazy("Clauses"),
    "rationale": gettext_lazy("Rationale"),
    "amendment": gettext_lazy("Amendments"),
    "comment": gettext_lazy("Comments and replies"),
}
MAX_QUERY = 200
MAX_TERMS = 12


@dataclass(frozen=True)
class Term:
    """A word, a phrase (several words in this order), or a prefix (its last word is a beginning).

    ``raw`` is the term as typed (without quotes or the star): PostgreSQL reads it with the same
    parser that built the stored vectors, so "A/RES/73/27" or "cyber-security" match as written.
    """

    words: tuple[str, ...]
    prefix: bool = False
    raw: str = ""

    def pattern(self) -> str:
        """The regular expression its snippets and titles mark it by: its words in order with anything
        but letters and digits between them; a single word or a prefix may begin a longer word
        ("protect" marks "protection"), a phrase's last word is whole."""
        body = r"\W+".join(re.escape(word) for word in self.words)
        end = "" if self.prefix or len(self.words) == 1 else r"(?!\w)"
        return rf"(?<!\w){body}{end}"


@dataclass(frozen=True)
class Search:
    """A parsed, checked request: what to find, and where."""

    text: str
    terms: tuple[Term, ...]
    user: object
    draft: Draft | None = None
    kind: str = ""
    group: str = ""
    round: Round | None = None

    def params(self, **changes) -> str:
        """The search as a query string, with ``changes``, for links to its other pages and kinds."""
        values = {
            "q": self.text,
            "draft": self.draft.slug if self.draft else "",
            "kind": self.kind,
            "group": self.group,
            "round": str(self.round.pk) if self.round else "",
            **changes,
        }
        return urlencode({name: value for name, value in values.items() if value})


_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


def parse(text: str) -> tuple[Term, ...]:
    """The terms of a query: quoted phrases, words, ``word*`` prefixes (a phrase may end in one too).
    Punctuation inside a token joins its words into a phrase ("cyber-security")."""
    terms = []
    for phrase, token in _TOKEN.findall(text):
        raw = (phrase if phrase else token).strip()
        prefix = raw.endswith("*")
        raw = raw.rstrip("*").strip()
        words = tuple(word.lower() for word in _WORD.findall(raw))
        if words:
            terms.append(Term(words, prefix=prefix, raw=raw))
    return tuple(dict.fromkeys(terms))


def search_request(user, params) -> Search:
    """The search a request asks for (``request.GET`` or ``query_params``); InvalidInput (400, naming
    the field) on anything it cannot answer."""
    text = (params.get("q") or "").strip()
    if not text:
        raise InvalidInput(_("Type a word or a phrase to search for."), field="q")
    if len(text) > MAX_QUERY:
        raise InvalidInput(_("Search for at most %(limit)s characters.") % {"limit": MAX_QUERY}, field="q")
    terms = parse(text)
    if not terms:
        raise InvalidInput(_("Search for words: punctuation alone finds nothing."), field="q")
    if len(terms) > MAX_TERMS:
        raise InvalidInput(
            _("Search for at most %(limit)s words or phrases at once.") % {"limit": MAX_TERMS}, field="q"
        )
    kind = (params.get("kind") or "").strip()
    if kind and kind not in KINDS:
        raise InvalidInput(
            _("Choose one of: %(choices)s (or none for all).") % {"choices": ", ".join(KINDS)}, field="kind"
        )
    group = (params.get("group") or "").strip()
    if group and group not in StakeholderGroup.values:
        raise InvalidInput(
            _("Choose one of: %(choices)s (or none for all).") % {"choices": ", ".join(StakeholderGroup.values)},
            field="group",
        )
    draft = draft_param(user, (params.get("draft") or "").strip())
    round_ = _round_param(user, (params.get("round") or "").strip(), draft)
    return Search(text=text, terms=terms, user=user, draft=draft, kind=kind, group=group, round=round_)


def draft_param(user, slug: str) -> Draft | None:
    if not slug:
        return None
    # An unknown draft and one hidden from this person read the same: the answer says nothing of it.
    draft = rules.viewable_drafts(user, Draft.objects.filter(slug=slug)).first()
    if draft is None:
        raise InvalidInput(_("No such draft; give the slug of a draft you can read."), field="draft")
    return draft


def _round_param(user, raw: str, draft: Draft | None) -> Round | None:
    if not raw:
        return None
    round_id = whole_number(raw)
    rounds = Round.objects.filter(draft__in=rules.viewable_drafts(user, Draft.objects.all()))
    if draft is not None:
        rounds = rounds.filter(draft=draft)
    round_ = rounds.filter(pk=round_id).first() if round_id is not None else None
    if round_ is None:
        if draft is not None:
            message = _("No such round in this draft; give the id of one of its rounds.")
        else:
            message = _("No such round; give the id of one of its rounds.")
        raise InvalidInput(message, field="round")
    return round_


# Beyond this, a page number is a mistake or a probe: no reader pages that far, and the offset it
# asks the database to skip grows with it.
MAX_PAGE = 10_000


def page_number(raw) -> int:
    """The page asked for (1 when none); InvalidInput naming ``page`` for anything else."""
    if raw in (None, ""):
        return 1
    number = whole_number(raw)
    if number is None or number < 1 or number > MAX_PAGE:
        raise InvalidInput(_("Give a page number from 1 to %(last)s.") % {"last": f"{MAX_PAGE:,}"}, field="page")
    return number
