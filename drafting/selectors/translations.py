"""Each paragraph's translations and their standing: ``current`` (it translates the original's
current version), ``outdated`` since the version after the one it translates, or ``missing``; with
the original's redline since the translated version, for the translator and the reader alike."""

from dataclasses import dataclass

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
    outdated_since: int | None = None  # the first version of the original it does not translate

    @property
    def name(self) -> str:
        return Language(self.language).label

    @property
    def label(self) -> str:
        if self.state == CURRENT:
            return f"Current (version {self.of_version})"
        if self.state == OUTDATED:
            return f"Outdated since version {self.outdated_since}"
        return "Not translated yet"

    def as_data(self) -> dict:
        return {
            "language": self.language,
            "state": self.state,
            "of_version": self.of_version,
            "outdated_since": self.outdated_since,
        }


def standing_of(clause: Clause, language: str, translation: ClauseTranslation | None) -> Standing:
    if translation is None:
        return Standing(language, MISSING)
    if translation.of_version >= clause.version:
        return Standing(language, CURRENT, translation.of_version)
    return Standing(language, OUTDATED, translation.of_version, translation.of_version + 1)


def target_languages(draft) -> list[str]:
    """The languages a draft's text is translated into: the six but its original's, in their order."""
    original = primary_language(draft.original_language)
    return [code for code in Language.values if code != original]


def clause_translations(clause: Clause) -> list[tuple[ClauseTranslation | None, Standing]]:
    """A paragraph's translation into each of its draft's target languages (None: none yet), with its standing."""
    found = {t.language: t for t in ClauseTranslation.objects.filter(clause=clause).select_related("translated_by")}
    return [
        (found.get(language), standing_of(clause, language, found.get(language)))
        for language in target_languages(clause.draft)
    ]


def clause_translation(clause: Clause, language: str) -> tuple[ClauseTranslation | None, Standing]:
    translation = (
        ClauseTranslation.objects.filter(clause=clause, language=language).select_related("translated_by").first()
    )
    return translation, standing_of(clause, language, translation)


def changes_since(clause: Clause, standing: Standing, *, visible: bool = False) -> list[dict] | None:
    """The original's changes since the version a translation translates (None unless outdated):
    word by word on its text (``visible``: on what a page shows of it)."""
    if standing.state != OUTDATED:
        return None
    old = clause_version(clause, standing.of_version)
    if visible:
        return visible_word_diff(old.text_html, clause.text_html)
    return word_diff(old.text, clause.text)


def translators_of(draft) -> list[Translator]:
    return list(Translator.objects.filter(draft=draft).select_related("user").order_by("language", "user__username"))


def languages_translated_by(user, draft_id: int) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(Translator.objects.filter(draft_id=draft_id, user=user).values_list("language", flat=True))
