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
        raise InvalidInput("Choose a user name.", field="username")
    hidden = [c for c in name if unicodedata.category(c) in INVISIBLE]
    if hidden:
        raise InvalidInput(
            f"A user name cannot hold invisible characters or spaces (U+{ord(hidden[0]):04X}).", field="username"
        )
    try:
        UnicodeUsernameValidator()(name)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="username") from exc
    scripts = {s for s in map(_script, name) if s}
    if len(scripts) > 1:
        raise InvalidInput(
            f"A user name uses letters of one script only; this one mixes {', '.join(sorted(scripts)).lower()}.",
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
        raise InvalidInput("Give the organization a name.", field="name")
    if not organization_name_fits(name):
        raise InvalidInput(
            f"An organization's name is at most {MAX_ORGANIZATION_NAME} characters as written here; this one has"
            f" {len(name)}.",
            field="name",
        )
    if not any(c.isalnum() for c in name):
        raise InvalidInput("An organization's name needs letters or digits.", field="name")
    hidden = [c for c in name if c != " " and unicodedata.category(c) in INVISIBLE]
    if hidden:
        raise InvalidInput(
            f"The name holds an invisible character (U+{ord(hidden[0]):04X}); type it again without it.", field="name"
        )
    for word in name.split(" "):
        scripts = {s for s in map(_script, word) if s}
        if len(scripts) > 1:
            raise InvalidInput(
                f"“{word}” mixes letters of {' and '.join(sorted(scripts)).lower()}, as a look-alike name would; "
                "write each word in one script.",
                field="name",
            )
    return name


def organization_name_key(name: str) -> str:
    """What two organization names are compared by: NFKC, case folded, each letter that looks like
    a Latin one read as that letter (Unicode's confusables; a Latin letter with a mark, a small
    capital or a dotless "ı" as its plain letter), punctuation, underscores and spacing ignored
    ("TokyoTelecomGroup", "Tokyo_Telecom_Group" and "Tokyo Telecom Group" are one name). Two names
    with the same key read the same to a delegate, so only one may exist."""
    # Each letter is read as it is written and again in small letters: a Cyrillic capital "Т"
    # looks like "T", while its small "т" looks like no Latin letter.
    skeleton = unicodedata.normalize("NFKC", name or "")
    for _ in range(2):
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
