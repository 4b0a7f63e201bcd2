"""What a user name and an organization's name may be, so that no one can pass for someone else.

A name is NFKC-normalised (full-width and compatibility forms fold to their plain letters), then
refused if it holds anything Django's user-name validator refuses, any invisible or control
character, or letters from more than one script (``аdmin`` with a Cyrillic ``а``). Names are unique
without regard to case, and log-in finds them the same way.
"""

import re
import unicodedata
from functools import lru_cache

from confusable_homoglyphs import confusables
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from codeofconduct.errors import InvalidInput

# Unicode categories that draw nothing or draw something other than what they are.
INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"}
# Scripts written together in one name: Japanese mixes kanji and kana, Korean may mix in hanja.
# Their marks count as theirs: "ー" (KATAKANA-HIRAGANA PROLONGED SOUND MARK), "々" (IDEOGRAPHIC
# ITERATION MARK), half-width forms.
EAST_ASIAN = {"CJK", "HIRAGANA", "KATAKANA", "KATAKANA-HIRAGANA", "HALFWIDTH", "IDEOGRAPHIC", "HANGUL", "BOPOMOFO"}


def normalise(username: str) -> str:
    return unicodedata.normalize("NFKC", username or "").strip()


def login_key(username: str) -> str:
    """How attempts on one account are counted: every spelling of a name counts as that name."""
    return normalise(username).casefold()[:150]


def _script(char: str) -> str | None:
    """The script a letter belongs to, from its Unicode name (LATIN, CYRILLIC, GREEK, ...)."""
    if not char.isalpha():
        return None
    script = unicodedata.name(char, "UNKNOWN").split(" ")[0]
    return "CJK" if script in EAST_ASIAN else script


def validate_username(username: str) -> str:
    """The normalised name, or ``InvalidInput`` saying what is wrong with it."""
    name = normalise(username)
    if not name:
        raise InvalidInput(_("Choose a user name."), field="username")
    hidden = [c for c in name if unicodedata.category(c) in INVISIBLE]
    if hidden:
        raise InvalidInput(
            _("A user name cannot hold invisible characters or spaces (%(character)s).")
            % {"character": f"U+{ord(hidden[0]):04X}"},
            field="username",
        )
    try:
        UnicodeUsernameValidator()(name)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="username") from exc
    scripts = {s for s in map(_script, name) if s}
    if len(scripts) > 1:
        raise InvalidInput(
            # Translators: scripts are Unicode's names of writing systems, in English ("cyrillic, latin").
            _("A user name uses letters of one script only; this one mixes %(scripts)s.")
            % {"scripts": ", ".join(sorted(scripts)).lower()},
            field="username",
        )
    return name


MAX_ORGANIZATION_NAME = 200  # Organization.name's column


def organization_name_shown(name: str) -> str:
    """An organization's name as it is written and shown: NFKC, single spaces (which may make it
    longer than typed: one character can stand for several)."""
    return " ".join(unicodedata.normalize("NFKC", name or "").split())


def organization_name_fits(name: str) -> bool:
    """Whether the name, as it is written (``organization_name_shown``), fits its column."""
    return len(organization_name_shown(name)) <= MAX_ORGANIZATION_NAME


def validate_organization_name(name: str) -> str:
    """An organization's name as it will be shown (``organization_name_shown``), or ``InvalidInput``:
    at most ``MAX_ORGANIZATION_NAME`` characters so written, no invisible characters, and no word
    mixing the letters of two scripts (``Tеlecom`` with a Cyrillic ``е``). Words in different
    scripts may stand side by side."""
    name = organization_name_shown(name)
    if not name:
        raise InvalidInput(_("Give the organization a name."), field="name")
    if not organization_name_fits(name):
        raise InvalidInput(
            ngettext(
                "An organization's name is at most %(limit)d character as written here; this one has %(count)d.",
                "An organization's name is at most %(limit)d characters as written here; this one has %(count)d.",
                MAX_ORGANIZATION_NAME,
            )
            % {"limit": MAX_ORGANIZATION_NAME, "count": len(name)},
            field="name",
        )
    if not any(c.isalnum() for c in name):
        raise InvalidInput(_("An organization's name needs letters or digits."), field="name")
    hidden = [c for c in name if c != " " and unicodedata.category(c) in INVISIBLE]
    if hidden:
        raise InvalidInput(
            _("The name holds an invisible character (%(character)s); type it again without it.")
            % {"character": f"U+{ord(hidden[0]):04X}"},
            field="name",
        )
    for word in name.split(" "):
        scripts = {s for s in map(_script, word) if s}
        if len(scripts) > 1:
            raise InvalidInput(
                _("“%(word)s” mixes letters of %(scripts)s, as a look-alike name would; write each word in one script.")
                % {"word": word, "scripts": _both(sorted(scripts))},
                field="name",
            )
    return name


def _both(scripts: list[str]) -> str:
    """Scripts named together: "cyrillic and latin" (three: "cyrillic and greek and latin")."""
    said = scripts[0].lower()
    for script in scripts[1:]:
        # Translators: Unicode's names of two writing systems (or more, the first already joined), in English.
        said = _("%(first)s and %(second)s") % {"first": said, "second": script.lower()}
    return said


def organization_name_key(name: str) -> str:
    """What two organization names are compared by: NFKC, case folded, each letter that looks like
    a Latin one read as that letter (Unicode's confusables; a Latin letter with a mark, a small
    capital or a dotless "ı" as its plain letter), punctuation, underscores and spacing ignored
    ("TokyoTelecomGroup", "Tokyo_Telecom_Group" and "Tokyo Telecom Group" are one name). Two names
    with the same key read the same to a delegate, so only one may exist."""
    # Each letter is read as it is written and again in small letters: a Cyrillic capital "Т"
    # looks like "T", while its small "т" looks like no Latin letter.
    skeleton = unicodedata.normalize("NFKC", name or "")
    for _twice in range(2):
        skeleton = "".join(_latin_look_alike(c) for c in skeleton).casefold()
    return re.sub(r"[\W_]+", "", skeleton)[:200]


# "LATIN LETTER SMALL CAPITAL O", "LATIN SMALL LETTER DOTLESS I": the letter a Latin form is drawn as.
_LATIN_FORM = re.compile(r"^LATIN (?:SMALL |CAPITAL )?LETTER (?:SMALL CAPITAL |DOTLESS |SMALL )?([A-Z])$")


@lru_cache(maxsize=4096)
def _latin_look_alike(char: str) -> str:
    if char.isascii():
        return char
    if _script(char) == "LATIN":
        plain = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        if plain.isascii():
            return plain  # "é" reads as "e"
        form = _LATIN_FORM.match(unicodedata.name(char, ""))
        return form.group(1).lower() if form else char
    found = confusables.is_confusable(char, preferred_aliases=["latin"])
    for entry in found or ():
        for glyph in entry["homoglyphs"]:
            if glyph["c"].isascii() and glyph["c"].isalnum():
                return glyph["c"]
    return char
