"""A paragraph's translations: who may write them, the version of the original each translates, and
its standing as the original moves (current, outdated since version N with the original's changes
since, current again), through the API and the pages."""

import pytest
from django.test import Client

from drafting import services
from drafting.models import ClauseTranslation, Translator, Visibility
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def translator(draft, people):
    """The observer, appointed to translate the draft into French."""
    services.translator_appoint(draft=draft, user_id=people["observer"].id, language="fr", by=people["moderator"])
    return people["observer"]


def translations_url(clause, language=""):
    return f"/api/v1/clauses/{clause.id}/translations/" + (f"{language}/" if language else "")


def moderator_edits(clause, people, words):
    """The Chair adds ``words`` to the original's current text: a new version."""
    clause.refresh_from_db()
    return services.clause_update(
        clause_id=clause.id, version=clause.version, by=people["moderator"], text=f"{clause.text} {words}"
    )


def test_a_translation_goes_current_outdated_and_current_again(clause, people, translator):
    api = client_for(translator)
    listed = {t["language"]: t for t in api.get(translations_url(clause)).json()}
    assert set(listed) == {"ar", "zh", "fr", "ru", "es"}  # the six but the original's (English)
    assert {t["state"] for t in listed.values()} == {"missing"}

    written = api.put(
        translations_url(clause, "fr"),
        {"of_version": 1, "title": "Infrastructures critiques", "text": "Les États protègent les réseaux."},
        format="json",
    )
    assert written.status_code == 201, written.content
    assert (written.json()["state"], written.json()["of_version"]) == ("current", 1)

    moderator_edits(clause, people, "Including hospitals.")
    moderator_edits(clause, people, "And water.")
    french = api.get(translations_url(clause, "fr")).json()
    assert (french["state"], french["of_version"], french["outdated_since"]) == ("outdated", 1, 2)
    assert french["original_version"] == 3 and french["text"] == "Les États protègent les réseaux."
    inserted = " ".join(c["text"] for c in french["changes_since"] if c["op"] == "insert")
    assert "hospitals" in inserted and "water" in inserted

    # Written against the version they saw, not the one now: refused, nothing recorded as current.
    stale = api.put(
        translations_url(clause, "fr"), {"of_version": 2, "title": "Infrastructures", "text": "Texte."}, format="json"
    )
    assert stale.status_code == 409 and stale.json()["current_version"] == 3
    assert ClauseTranslation.objects.get(clause=clause, language="fr").of_version == 1

    again = api.put(
        translations_url(clause, "fr"),
        {"of_version": 3, "title": "Infrastructures critiques", "text": "Les États protègent aussi les hôpitaux."},
        format="json",
    )
    assert again.status_code == 200 and again.json()["state"] == "current"
    french = api.get(translations_url(clause, "fr")).json()
    assert (french["state"], french["of_version"], french["changes_since"]) == ("current", 3, None)
    assert ClauseTranslation.history.filter(clause_id=clause.id).count() == 2  # each version kept


def test_only_translators_into_that_language_and_moderators_translate(draft, clause, people, translator):
    body = {"of_version": 1, "title": "Título", "text": "Texto."}
    assert client_for(translator).put(translations_url(clause, "es"), body, format="json").status_code == 403
    for who in ("participant", "non_member"):
        refused = client_for(people[who]).put(translations_url(clause, "fr"), body, format="json")
        assert refused.status_code == 403 and "translator" in refused.json()["detail"]
    assert client_for(None).put(translations_url(clause, "fr"), body, format="json").status_code == 401
    assert client_for(people["moderator"]).put(translations_url(clause, "es"), body, format="json").status_code == 201
    # No such language, or the original's own: 404, as for a page that does not exist.
    for language in ("de", "en"):
        assert client_for(translator).get(translations_url(clause, language)).status_code == 404
        assert client_for(translator).put(translations_url(clause, language), body, format="json").status_code == 404
    assert not ClauseTranslation.objects.filter(language__in=("de", "en")).exists()


def test_a_translation_of_a_members_only_draft_is_hidden_from_outsiders(draft, clause, people, translator):
    draft.visibility = Visibility.MEMBERS
    draft.save()
    services.translation_save(
        clause_id=clause.id, language="fr", of_version=1, title="Titre", text="Texte secret.", by=translator
    )
    for who in ("non_member", "anonymous"):
        assert client_for(people[who]).get(translations_url(clause)).status_code == 404
        assert client_for(people[who]).get(translations_url(clause, "fr")).status_code == 404


def test_bad_input_is_told_and_nothing_is_written(clause, translator):
    api = client_for(translator)
    for body, field in (
        ({"title": "Titre", "text": "Texte."}, "of_version"),
        ({"of_version": 1, "title": "", "text": "Texte."}, "title"),
        ({"of_version": 1, "title": "Titre\nsur deux lignes", "text": "Texte."}, "title"),
        ({"of_version": 1, "title": "Titre", "text": "x" * 200_001}, "text"),
    ):
        answer = api.put(translations_url(clause, "fr"), body, format="json")
        assert answer.status_code in (400, 413) and field in answer.json(), (body, answer.content)
    assert not ClauseTranslation.objects.exists()


def test_moderators_appoint_translators_among_the_members(draft, people):
    moderator = client_for(people["moderator"])
    url = f"/api/v1/drafts/{draft.slug}/translators/"
    appointed = moderator.post(url, {"user": people["participant"].id, "language": "ar"}, format="json")
    assert appointed.status_code == 201 and appointed.json()["language"] == "ar"
    outsider = moderator.post(url, {"user": people["non_member"].id, "language": "ar"}, format="json")
    assert outsider.status_code == 400 and "member" in outsider.json()["user"][0]
    original = moderator.post(url, {"user": people["participant"].id, "language": "en"}, format="json")
    assert original.status_code == 400 and "original language" in original.json()["language"][0]
    again = moderator.post(url, {"user": people["participant"].id, "language": "ar"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == appointed.json()["id"]
    assert (
        client_for(people["participant"]).post(url, {"user": people["participant"].id, "language": "ru"}).status_code
        == 403
    )
    assert [t["user"] for t in moderator.get(url).json()] == [people["participant"].username]
    assert client_for(people["participant"]).get(url).status_code == 403
    released = moderator.delete(f"{url}{appointed.json()['id']}/")
    assert released.status_code == 204 and not Translator.objects.exists()
    assert moderator.delete(f"{url}{appointed.json()['id']}/").status_code == 404


def test_the_pages_show_each_languages_standing_and_keep_what_a_translator_typed(clause, people, translator):
    browser = Client()
    browser.force_login(translator)
    page = browser.get(f"/clauses/{clause.id}/").content.decode()
    assert 'data-testid="translation-fr"' in page and "Not translated yet" in page
    url = f"/clauses/{clause.id}/translations/fr/"
    form = browser.get(url)
    assert form.status_code == 200 and "Votes are always on the original text, in English" in form.content.decode()
    saved = browser.post(url, {"of_version": 1, "title": "Infrastructures critiques", "text": "Les États protègent."})
    assert saved.status_code == 302
    moderator_edits(clause, people, "Including hospitals.")
    shown = browser.get(url).content.decode()
    assert "Outdated since version 2" in shown and "hospitals" in shown
    # The original moved while they typed: told, their words kept, the form now of version 2.
    moderator_edits(clause, people, "And water.")
    stale = browser.post(url, {"of_version": 2, "title": "Infrastructures", "text": "Mes mots à garder."})
    assert stale.status_code == 409
    body = stale.content.decode()
    assert "Mes mots à garder." in body and "version 3" in body and 'name="of_version" value="3"' in body
    # What changed since the version they worked from (2), not since the one translated before (1).
    assert "changes since version 2" in body and "water" in body
    # Someone who does not translate French reads it, with no form.
    reader = Client()
    reader.force_login(people["participant"])
    read = reader.get(url).content.decode()
    assert "Les États protègent." in read and "Save the translation" not in read
    assert reader.post(url, {"of_version": 3, "title": "T", "text": "X"}).status_code == 403
    assert reader.get(f"/clauses/{clause.id}/translations/de/").status_code == 404


def test_the_translators_page_is_the_moderators(draft, people):
    moderator = Client()
    moderator.force_login(people["admin"])
    url = f"/drafts/{draft.slug}/translators/"
    assert moderator.post(url, {"user": people["participant"].id, "language": "zh"}).status_code == 302
    page = moderator.get(url).content.decode()
    assert "a_participant — Chinese" in page
    bad = moderator.post(url, {"user": people["participant"].id, "language": "en"})
    assert bad.status_code == 400  # not a language to translate into: not among the choices
    translator = Translator.objects.get()
    assert moderator.post(f"{url}{translator.id}/remove/").status_code == 302
    assert not Translator.objects.exists()
    participant = Client()
    participant.force_login(people["participant"])
    assert participant.get(url).status_code == 403


def test_a_version_that_changes_no_words_leaves_a_translation_current(clause, people, translator):
    """A status decided, a paragraph moved: a new version of the original, the same words."""
    services.translation_save(
        clause_id=clause.id,
        language="fr",
        of_version=1,
        title="Infrastructures critiques",
        text="Texte.",
        by=translator,
    )
    words = (clause.title, clause.text)
    services.clause_update(clause_id=clause.id, version=1, by=people["moderator"], status="proposed")
    french = client_for(translator).get(translations_url(clause, "fr")).json()
    assert (french["state"], french["of_version"], french["original_version"]) == ("current", 1, 2)
    moderator_edits(clause, people, "Including hospitals.")
    moderator_edits(clause, people, "And water.")
    french = client_for(translator).get(translations_url(clause, "fr")).json()
    assert (french["state"], french["outdated_since"]) == ("outdated", 3)
    # The words brought back to those translated: current again, without a translator's word.
    clause.refresh_from_db()
    services.clause_update(clause_id=clause.id, version=clause.version, by=people["moderator"], text=words[1])
    assert client_for(translator).get(translations_url(clause, "fr")).json()["state"] == "current"
    # Changed, then changed again: outdated since the first change of the run that lasts.
    moderator_edits(clause, people, "Once.")
    moderator_edits(clause, people, "Twice.")
    assert client_for(translator).get(translations_url(clause, "fr")).json()["outdated_since"] == 6


def test_a_translator_who_leaves_the_draft_translates_it_no_more(draft, clause, people, translator):
    services.draft_member_remove(draft=draft, user_id=translator.id, by=people["admin"])
    assert not Translator.objects.exists()
    body = {"of_version": 1, "title": "Titre", "text": "Texte."}
    assert client_for(translator).put(translations_url(clause, "fr"), body, format="json").status_code == 403
    # Appointed again without a role: refused, as for anyone who is not a member.
    moderator = client_for(people["moderator"])
    again = moderator.post(f"/api/v1/drafts/{draft.slug}/translators/", {"user": translator.id, "language": "fr"})
    assert again.status_code == 400


def test_lang_on_a_clause_read(clause, people, translator):
    services.translation_save(
        clause_id=clause.id, language="fr", of_version=1, title="Titre", text="Le texte.", by=translator
    )
    read = client_for(people["participant"])
    french = read.get(f"/api/v1/clauses/{clause.id}/?lang=fr-CA").json()
    assert french["text"] == clause.text and french["translation"]["text"] == "Le texte."
    assert "translation" not in read.get(f"/api/v1/clauses/{clause.id}/?lang=en").json()  # the original's own
    other = read.get(f"/api/v1/clauses/{clause.id}/?lang=de")
    assert other.status_code == 400 and "lang" in other.json()


def test_an_arabic_original_reads_right_to_left_beside_its_translation(draft, clause, people, translator):
    draft.original_language = "ar"
    draft.save()
    services.translator_appoint(draft=draft, user_id=translator.id, language="en", by=people["moderator"])
    browser = Client()
    browser.force_login(translator)
    page = browser.get(f"/clauses/{clause.id}/translations/en/").content.decode()
    assert '<div lang="ar" dir="rtl">' in page and 'lang="en" dir="ltr"' in page
    assert "Votes are always on the original text, in Arabic" in page
    assert browser.get(f"/clauses/{clause.id}/translations/ar/").status_code == 404


def test_the_pages_of_a_members_only_drafts_translations_are_hidden_from_outsiders(draft, clause, people):
    draft.visibility = Visibility.MEMBERS
    draft.save()
    outsider = Client()
    outsider.force_login(people["non_member"])
    assert outsider.get(f"/clauses/{clause.id}/translations/fr/").status_code == 404
    assert Client().get(f"/clauses/{clause.id}/translations/fr/").status_code == 404


def _paragraphs(page: str) -> list[str]:
    """Each paragraph of the draft page's text, as its words (tags dropped)."""
    import re

    from django.utils.html import strip_tags

    blocks = page.split('data-testid="clause"')[1:]
    return [" ".join(strip_tags(re.split(r'id="clause-summary', block)[0]).split()) for block in blocks]


def test_the_draft_page_reads_in_the_readers_language_with_each_paragraphs_standing(
    draft, section, clause, people, translator
):
    from django.utils import translation

    from tests.drafting.factories import ClauseFactory

    second = ClauseFactory(section=section, number=2, title="Hospitals", text="States spare hospitals.")
    third = ClauseFactory(section=section, number=3, title="Elections", text="States respect elections.")
    for paragraph, title, text in (
        (clause, "Infrastructures critiques", "Les États protègent les réseaux."),
        (second, "Hôpitaux", "Les États épargnent les hôpitaux."),
    ):
        services.translation_save(
            clause_id=paragraph.id, language="fr", of_version=1, title=title, text=text, by=translator
        )
    moderator_edits(second, people, "And clinics.")
    with translation.override("fr"):
        outdated = translation.gettext("Outdated since version %(version)d") % {"version": 2}
        missing = translation.gettext("Not translated yet")
    assert outdated != "Outdated since version 2"

    reader = Client()
    french = reader.get(f"/drafts/{draft.slug}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    first, lagging, untranslated = _paragraphs(french)
    assert "Les États protègent les réseaux." in first and "Critical" not in first
    assert "States spare hospitals. And clinics." in lagging and outdated in lagging and "épargnent" not in lagging
    assert "States respect elections." in untranslated and missing in untranslated
    blocks = french.split('data-testid="clause"')[1:]
    assert 'class="paragraph-words" lang="fr" dir="ltr"' in blocks[0]
    assert 'class="paragraph-words" lang="en" dir="ltr"' in blocks[1]
    assert 'data-testid="reading-note"' in french

    # The original, and both side by side, on the reader's asking.
    original = _paragraphs(
        reader.get(f"/drafts/{draft.slug}/?text=original", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    )
    assert "States protect" in original[0] or clause.text in original[0]
    assert all(outdated not in p and missing not in p for p in original)
    both = reader.get(f"/drafts/{draft.slug}/?text=both", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert both.count('data-testid="paragraph-translation"') == 2
    side_by_side = _paragraphs(both)
    assert clause.text in side_by_side[0] and "Les États protègent les réseaux." in side_by_side[0]

    # An English interface reading the French text; and a translation saved is read at once.
    english = reader.get(f"/drafts/{draft.slug}/?lang=fr", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en"' in english and "Les États protègent les réseaux." in _paragraphs(english)[0]
    assert "Outdated since version 2" in _paragraphs(english)[1]
    services.translation_save(
        clause_id=third.id,
        language="fr",
        of_version=1,
        title="Élections",
        text="Les États respectent les élections.",
        by=translator,
    )
    again = _paragraphs(reader.get(f"/drafts/{draft.slug}/?lang=fr", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert "Les États respectent les élections." in again[2] and "Not translated yet" not in again[2]

    # Nothing to switch to in the original's own language; an English reader reads the original.
    plain = reader.get(f"/drafts/{draft.slug}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="reading-note"' not in plain and clause.text in _paragraphs(plain)[0]


def test_the_clause_list_takes_lang_with_each_paragraphs_standing(draft, section, clause, people, translator):
    from tests.drafting.factories import ClauseFactory

    second = ClauseFactory(section=section, number=2, title="Hospitals", text="States spare hospitals.")
    services.translation_save(
        clause_id=clause.id, language="fr", of_version=1, title="Infrastructures", text="Les réseaux.", by=translator
    )
    services.translation_save(
        clause_id=second.id, language="fr", of_version=1, title="Hôpitaux", text="Les hôpitaux.", by=translator
    )
    moderator_edits(second, people, "And clinics.")
    api = client_for(people["participant"])
    url = f"/api/v1/drafts/{draft.slug}/clauses/"
    listed = api.get(url, {"lang": "fr-CA"}).json()["results"]
    by_id = {item["id"]: item["translation"] for item in listed}
    assert (by_id[clause.id]["state"], by_id[clause.id]["title"]) == ("current", "Infrastructures")
    assert (by_id[second.id]["state"], by_id[second.id]["outdated_since"]) == ("outdated", 2)
    assert by_id[second.id]["text"] == "Les hôpitaux." and by_id[second.id]["votes_on"] == "en"
    assert all(item["text"] != "Les réseaux." for item in listed)  # the text itself stays the original
    assert all("translation" not in item for item in api.get(url).json()["results"])
    assert all("translation" not in item for item in api.get(url, {"lang": "en"}).json()["results"])
    refused = api.get(url, {"lang": "de"})
    assert refused.status_code == 400 and "lang" in refused.json()
