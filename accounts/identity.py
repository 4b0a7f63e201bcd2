"""What a user name may be, so that no one can pass for someone else.

A name is NFKC-normalised (full-width and compatibility forms fold to their plain letters), then
refused if it holds anything Django's user-name validator refuses, any invisible or control
character, or letters from more than one script (``аdmin`` with a Cyrillic ``а``). Names are unique
without regard to case, and log-in finds them the same way.
"""

import unicodedata

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError

from codeofconduct.errors import InvalidInput

# Unicode categories that draw nothing or draw something other than what they are.
INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"}
# Scripts written together in one name: Japanese mixes kanji and kana, Korean may mix in hanja.
EAST_ASIAN = {"CJK", "HIRAGANA", "KATAKANA", "HANGUL"}


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
