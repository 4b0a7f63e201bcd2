"""The interface's translation catalogues: ``locale/<language>/LC_MESSAGES/django.po`` (pages,
emails, messages) and ``djangojs.po`` (what the scripts show), one per language but English, the
language the strings are written in. The compiled ``.mo`` files are committed beside them, so a
checkout serves every language without gettext's tools.

``manage.py catalogues`` brings every catalogue up to date with the code after strings change
(new strings arrive untranslated, and tests/test_languages.py fails until each is translated), then
compiles them. Documents (templates/exports, drafting/documents) are not the interface: they are
written in the language of their own text.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.utils.translation import to_locale

# Django's locale names of the interface's languages but English.
LOCALES = [to_locale(code) for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
DOMAINS = ["django", "djangojs"]
IGNORED = [
    ".venv*",
    "node_modules",
    "var",
    "staticfiles",
    "tests",
    "bench",
    "docs",
    "deploy",
    "locale",
    "*/migrations/*",
    "templates/exports/*",
    "drafting/documents/*",
]


def catalogue_path(locale: str, domain: str, suffix: str = "po") -> Path:
    return Path(settings.LOCALE_PATHS[0]) / locale / "LC_MESSAGES" / f"{domain}.{suffix}"


def _makemessages(locales: list[str], domain: str, **options) -> None:
    call_command(
        "makemessages",
        locale=locales,
        domain=domain,
        ignore_patterns=IGNORED,
        no_obsolete=True,
        no_location=True,
        verbosity=0,
        **options,
    )


def update() -> None:
    """Every catalogue with the strings the code marks now (kept translations stay), compiled."""
    for domain in DOMAINS:
        _makemessages(LOCALES, domain)
        for locale in LOCALES:
            compile_catalogue(locale, domain, catalogue_path(locale, domain, "mo"))


def compile_catalogue(locale: str, domain: str, target: Path) -> None:
    """msgfmt, which also checks each translation keeps its original's placeholders."""
    msgfmt = shutil.which("msgfmt") or "msgfmt"
    subprocess.run([msgfmt, "--check", "-o", str(target), str(catalogue_path(locale, domain))], check=True)  # noqa: S603


def key(entry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def source_strings(domain: str) -> set[tuple[str, str, str]]:
    """What the code marks for translation now: makemessages' template (``locale/<domain>.pot``,
    kept for a scratch English catalogue, both removed after), read."""
    import polib  # a development tool (requirements-dev.txt)

    locale_dir = Path(settings.LOCALE_PATHS[0])
    pot = locale_dir / f"{domain}.pot"
    try:
        _makemessages(["en"], domain, keep_pot=True)
        return {key(entry) for entry in polib.pofile(str(pot)) if entry.msgid} if pot.exists() else set()
    finally:
        pot.unlink(missing_ok=True)
        shutil.rmtree(locale_dir / "en", ignore_errors=True)


def compiled_matches(locale: str, domain: str) -> bool:
    """Whether the committed .mo is the compilation of the committed .po."""
    with tempfile.TemporaryDirectory() as scratch:
        made = Path(scratch) / "made.mo"
        compile_catalogue(locale, domain, made)
        return made.read_bytes() == catalogue_path(locale, domain, "mo").read_bytes()
