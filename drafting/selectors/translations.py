"""Each paragraph's translations and their standing: ``current`` (the original's title and text are
those of the version it translates), ``outdated`` since the version from which they differ, or
``missing``; with the original's redline since the translated version, for the translator and the
reader alike. A version that changed no words (a status decided at a close, a move to another
section) leaves a translation current."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .. import rules
from ..diff import visible_word_diff, word_diff
from ..models import Clause, ClauseTranslation, Language, Translator, primary_language
from .lookups import clause_version

CURRENT, OUTDATED, MISSING = "current", "outdated", "missing"
STATES = [(CURRENT, "Current"), (OUTDATED, "Outdated"), (MISSING, "Missing")]


@dataclass(frozen=True)
class Standing:
    language: str
    state: str
    of_version: int | None = None  # the version of the original it translates
    outdated_since: int | None = None  # from this version on, the original's words are not those translated

    @property
    def name(self) -> str:
        return Language(self.language).label

    @property
    def label(self) -> str:
        if self.state == CURRENT:
            return _("Current (translates version %(version)d)") % {"version": self.of_version}
        if self.state == OUTDATED:
            return _("Outdated since version %(version)d") % {"version": self.outdated_since}
        return _("Not translated yet")

    def as_data(self) -> dict:
        return {
            "language": self.language,
            "state": self.state,
            "of_version": self.of_version,
            "outdated_since": self.outdated_since,
        }


def _outdated_since(clause: Clause, translated: set[int]) -> dict[int, int | None]:
    """For each translated version of ``clause``: the version from which its title and text have
    differed from that version's until now (None: they are the same now). One query."""
    if not translated or min(translated) >= clause.version:
        return dict.fromkeys(translated)
    rows = clause.history.filter(version__gte=min(translated)).order_by("version", "history_id")
    words = {version: (title, text) for version, title, text in rows.values_list("version", "title", "text")}
    return _since(words, clause, translated)


def _since(words: dict[int, tuple[str, str]], clause: Clause, translated: set[int]) -> dict[int, int | None]:
    """``_outdated_since`` from the words of each version (a version's last history row is what it
    was; the clause itself is its current version)."""
    words = {**words, clause.version: (clause.title, clause.text)}
    later = sorted(words, reverse=True)
    since = {}
    for base in translated:
        first = None
        for version in later:
            if version <= base or words[version] == words.get(base):
                break
            first = version
        since[base] = first
    return since


def text_translations(clauses: list[Clause], language: str) -> dict[int, tuple[ClauseTranslation | None, Standing]]:
    """Each of ``clauses``' translation into ``language`` (None: none yet) with its standing, by
    clause id: two queries whatever their number (the translations; the history of those the
    original has moved on from)."""
    found = {
        t.clause_id: t for t in ClauseTranslation.objects.filter(clause__in=[c.pk for c in clauses], language=language)
    }
    lagging = {c.pk: c for c in clauses if c.pk in found and found[c.pk].of_version < c.version}
    words: dict[int, dict[int, tuple[str, str]]] = {pk: {} for pk in lagging}
    if lagging:
        low = min(found[pk].of_version for pk in lagging)
        rows = Clause.history.filter(id__in=list(lagging), version__gte=low).order_by("id", "version", "history_id")
        for pk, version, title, text in rows.values_list("id", "version", "title", "text"):
            words[pk][version] = (title, text)
    result = {}
    for clause in clauses:
        translation = found.get(clause.pk)
        since = _since(words[clause.pk], clause, {translation.of_version}) if clause.pk in lagging else {}
        result[clause.pk] = (translation, _standing(language, translation, since))
    return result


def _standing(language: str, translation: ClauseTranslation | None, since: dict) -> Standing:
    if translation is None:
        return Standing(language, MISSING)
    outdated_since = since.get(translation.of_version)
    if outdated_since is None:
        return Standing(language, CURRENT, translation.of_version)
    return Standing(language, OUTDATED, translation.of_version, outdated_since)


def target_languages(draft) -> list[str]:
    """The languages a draft's text is translated into: the six but its original's, in their order."""
    original = primary_language(draft.original_language)
    return [code for code in Language.values if code != original]


# How a reader reads a draft's text (``Reading.mode``): its translation where current, the original
# only, or both side by side.
TRANSLATED, ORIGINAL, BILINGUAL = "translated", "original", "both"


@dataclass(frozen=True)
class Reading:
    original: str  # the language the draft is written in
    languages: tuple[str, ...]  # those it is translated into
    language: str | None = None  # the translation read (None: the original only)
    mode: str = ORIGINAL

    @property
    def key(self) -> str:
        return f"{self.original}:{self.language or '-'}:{self.mode}"


def reading(draft, *, interface: str, asked_language: str = "", asked_mode: str = "") -> Reading:
    """The reader's language: the one asked for (``?lang=``), else the interface's, when the text
    is translated into it (the translation where it is current, the original where not); the
    original when asked (``?text=original``) or when it is already in that language; both side by
    side when asked (``?text=both``)."""
    original = primary_language(draft.original_language)
    languages = tuple(target_languages(draft))
    language = primary_language(asked_language or interface)
    if language not in languages or asked_mode == ORIGINAL:
        return Reading(original, languages)
    return Reading(original, languages, language, BILINGUAL if asked_mode == BILINGUAL else TRANSLATED)


def clause_translations(clause: Clause) -> list[tuple[ClauseTranslation | None, Standing]]:
    """A paragraph's translation into each of its draft's target languages (None: none yet), with its standing."""
    found = {t.language: t for t in ClauseTranslation.objects.filter(clause=clause)}
    since = _outdated_since(clause, {t.of_version for t in found.values()})
    return [
        (found.get(language), _standing(language, found.get(language), since))
        for language in target_languages(clause.draft)
    ]


def clause_translation(clause: Clause, language: str) -> tuple[ClauseTranslation | None, Standing]:
    translation = ClauseTranslation.objects.filter(clause=clause, language=language).first()
    since = _outdated_since(clause, {translation.of_version} if translation else set())
    return translation, _standing(language, translation, since)


def changes_since(clause: Clause, version: int | None, *, visible: bool = False) -> list[dict] | None:
    """The original's changes to its text since ``version`` (None when there is none to show):
    word by word on its text (``visible``: on what a page shows of it)."""
    if version is None or not 1 <= version < clause.version:
        return None
    old = clause_version(clause, version)
    if visible:
        return visible_word_diff(old.text_html, clause.text_html)
    return word_diff(old.text, clause.text)


def translate_subject(user, clause: Clause, standing: str, language: str) -> rules.Subject:
    """What the ``translate`` rule looks at: the person's standing, and whether they are appointed
    into ``language``."""
    return rules.Subject(standing, translates=language in languages_translated_by(user, clause.draft_id))


def translators_of(draft) -> list[Translator]:
    return list(Translator.objects.filter(draft=draft).select_related("user").order_by("language", "user__username"))


def languages_translated_by(user, draft_id: int) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(Translator.objects.filter(draft_id=draft_id, user=user).values_list("language", flat=True))
