"""The interface in the six official languages: every catalogue complete and current with the code,
each person's language chosen as they would expect, right to left in Arabic, and emails in the
recipient's language."""

import re
import shutil

import polib
import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation

from codeofconduct import catalogues, timezones
from tests.accounts.factories import UserFactory
from tests.conftest import client_for, need

# What CLDR and gettext give for each language's plural forms (Arabic six, Russian three).
PLURALS = {"ar": 6, "zh_Hans": 1, "fr": 2, "ru": 3, "es": 2}
CATALOGUES = [(locale, domain) for locale in catalogues.LOCALES for domain in catalogues.DOMAINS]


@pytest.fixture(scope="module")
def marked():
    """What the code marks for translation now, per domain (makemessages, as `manage.py catalogues` runs it)."""
    need(shutil.which("xgettext") is not None, "gettext is not installed (apt-get install gettext)")
    return {domain: catalogues.source_strings(domain) for domain in catalogues.DOMAINS}


def _in(language: str, text: str, **values) -> str:
    with translation.override(language):
        translated = translation.gettext(text)
    return translated % values if values else translated


def test_every_language_but_english_has_both_catalogues():
    assert catalogues.LOCALES == ["ar", "zh_Hans", "fr", "ru", "es"]
    for locale, domain in CATALOGUES:
        assert catalogues.catalogue_path(locale, domain).exists(), f"{locale} {domain}.po"


@pytest.mark.parametrize(("locale", "domain"), CATALOGUES)
def test_each_catalogue_is_complete_current_and_compiled(locale, domain, marked):
    po = polib.pofile(str(catalogues.catalogue_path(locale, domain)))
    assert not po.fuzzy_entries(), [e.msgid for e in po.fuzzy_entries()][:10]
    assert not po.obsolete_entries(), [e.msgid for e in po.obsolete_entries()][:10]
    untranslated = [e.msgid for e in po if not e.translated()]
    assert not untranslated, f"{len(untranslated)} strings left untranslated: {untranslated[:10]}"
    in_catalogue = {catalogues.key(e) for e in po}
    behind = sorted(marked[domain] - in_catalogue)
    assert not behind, f"marked in the code but not in the catalogue (run manage.py catalogues): {behind[:10]}"
    stale = sorted(in_catalogue - marked[domain])
    assert not stale, f"in the catalogue but no longer in the code: {stale[:10]}"
    # Plural forms right for the language, each form written.
    assert f"nplurals={PLURALS[locale]};" in po.metadata["Plural-Forms"].replace(" ", "")
    for entry in po:
        if entry.msgid_plural:
            forms = entry.msgstr_plural
            assert sorted(forms) == list(range(PLURALS[locale])), entry.msgid
            assert all(form.strip() for form in forms.values()), entry.msgid
    # Not English copied over: a word may stay (API, PDF, a name), sentences may not.
    copied = [e.msgid for e in po if e.msgstr == e.msgid and len(e.msgid.split()) > 2]
    assert not copied, f"left in English: {copied[:10]}"
    assert catalogues.compiled_matches(locale, domain), f"{locale}/{domain}.mo is not the compiled .po"


def test_placeholders_survive_translation():
    """msgfmt --check (run by compiled_matches) checks python-format; brace placeholders too."""
    for locale, domain in CATALOGUES:
        for entry in polib.pofile(str(catalogues.catalogue_path(locale, domain))):
            wanted = sorted(re.findall(r"%\(\w+\)[sd]|\{\w*\}", entry.msgid))
            texts = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
            for text in texts:
                assert sorted(set(re.findall(r"%\(\w+\)[sd]|\{\w*\}", text))) == sorted(set(wanted)), (
                    locale,
                    entry.msgid,
                    text,
                )


@pytest.mark.django_db
def test_the_browser_language_then_the_cookie_then_the_persons_choice(client):
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="de-CH, en;q=0.5")
    assert '<html lang="en" dir="ltr">' in english.content.decode()
    assert english["Content-Language"] == "en"
    assert "Accept-Language" in english["Vary"] and "Cookie" in english["Vary"]

    french = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-CH, fr;q=0.9, en;q=0.5")
    assert '<html lang="fr" dir="ltr">' in french.content.decode()
    assert _in("fr", "Change language") in french.content.decode()
    assert _in("fr", "Change language") != "Change language"

    chinese = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert '<html lang="zh-hans"' in chinese.content.decode()

    arabic = client.get("/", HTTP_ACCEPT_LANGUAGE="ar-EG")
    assert '<html lang="ar" dir="rtl">' in arabic.content.decode()

    # The switcher's cookie beats the browser; back to the page it was chosen on.
    switched = client.post("/language/", {"language": "ru", "next": "/search/?q=norm"})
    assert switched.status_code == 302 and switched["Location"] == "/search/?q=norm"
    assert switched.cookies["language"]["httponly"] and switched.cookies["language"]["samesite"] == "Lax"
    assert '<html lang="ru" dir="ltr">' in client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    # Another site as the way back is refused: home instead.
    for elsewhere in ("https://elsewhere.example/", "http://testserver//elsewhere.example", "//testserver//x", "/\\x"):
        away = client.post("/language/", {"language": "es", "next": elsewhere})
        assert away.status_code == 302 and away["Location"] == "/", elsewhere
    # Another site's form is refused, by the browser's word on where it came from.
    for header in ({"HTTP_SEC_FETCH_SITE": "cross-site"}, {"HTTP_ORIGIN": "https://elsewhere.example"}):
        forged = client.post("/language/", {"language": "ar", "next": "/"}, **header)
        assert forged.status_code == 403 and "language" not in forged.cookies
    same_site = client.post("/language/", {"language": "es", "next": "/"}, HTTP_SEC_FETCH_SITE="same-origin")
    assert same_site.cookies["language"].value == "es"
    refused = client.post("/language/", {"language": "de", "next": "/"})
    assert refused.status_code == 400 and "ar, zh-hans, en, fr, ru, es" in refused.content.decode()
    assert client.get("/language/").status_code == 405

    # A signed-in person's choice is saved and beats the cookie, on every device.
    person = UserFactory(username="delegate_ar")
    client.force_login(person)
    client.post("/language/", {"language": "ar", "next": "/"})
    person.refresh_from_db()
    assert person.language == "ar"
    client.cookies.pop("language")
    assert '<html lang="ar" dir="rtl">' in client.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()


@pytest.mark.django_db
def test_preferences_api_sets_the_language_and_answers_in_the_askers(client):
    person = UserFactory(username="delegate_fr")
    api = client_for(person)
    assert api.put("/api/v1/me/preferences/", {"language": "fr"}, format="json").json()["language"] == "fr"
    person.refresh_from_db()
    assert person.language == "fr"
    refused = api.put("/api/v1/me/preferences/", {"language": "klingon"}, format="json", HTTP_ACCEPT_LANGUAGE="fr")
    assert refused.status_code == 400
    expected = _in("fr", "Choose one of the languages offered: %(codes)s, or none for your browser's.", codes="")
    assert (
        expected.split(":")[0] in str(refused.json())
        and expected.split(":")[0] != "Choose one of the languages offered"
    )
    assert api.put("/api/v1/me/preferences/", {"language": ""}, format="json").json()["language"] == ""


@pytest.mark.django_db
def test_the_profile_page_names_the_language_in_its_own_words(client):
    person = UserFactory(username="delegate_zh", language="zh-hans")
    client.force_login(person)
    page = client.get("/accounts/profile/").content.decode()
    assert '<html lang="zh-hans" dir="ltr">' in page
    assert '<option value="zh-hans" lang="zh-hans" selected>中文</option>' in page
    assert '<option value="ar" lang="ar">العربية</option>' in page


def test_dates_read_in_the_interface_language():
    from datetime import UTC, datetime

    moment = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)
    assert timezones.display(moment) == "4 Dec 2026, 16:00 UTC"
    with translation.override("fr"):
        assert timezones.display(moment) == "4 décembre 2026 16:00 UTC"
    with translation.override("ru"):
        assert "декабря 2026" in timezones.display(moment)
    with translation.override("zh-hans"):
        assert timezones.display(moment).startswith("2026年12月4日")


def test_plural_forms_pick_the_right_form_in_arabic_and_russian():
    po = polib.pofile(str(catalogues.catalogue_path("ru", "django")))
    plural = next(e for e in po if e.msgid_plural and "%(counter)s" in e.msgid)
    with translation.override("ru"):
        forms = [translation.ngettext(plural.msgid, plural.msgid_plural, n) % {"counter": n} for n in (1, 3, 5, 21)]
    assert forms == [
        plural.msgstr_plural[0] % {"counter": 1},
        plural.msgstr_plural[1] % {"counter": 3},
        plural.msgstr_plural[2] % {"counter": 5},
        plural.msgstr_plural[0] % {"counter": 21},
    ]
    po = polib.pofile(str(catalogues.catalogue_path("ar", "django")))
    plural = next(e for e in po if e.msgid_plural and "%(counter)s" in e.msgid)
    with translation.override("ar"):
        picked = [translation.ngettext(plural.msgid, plural.msgid_plural, n) for n in (0, 1, 2, 3, 11, 100)]
    assert picked == [plural.msgstr_plural[k] for k in range(6)]


@pytest.mark.django_db
def test_emails_go_out_in_the_recipients_language(django_capture_on_commit_callbacks, clause, people):
    from drafting import services
    from notifications import services as notifications

    reader = people["observer"]
    reader.language = "es"
    reader.save()
    notifications.follow(user=reader, clause=clause)
    # The person acting reads French; the email is the reader's, in Spanish.
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        services.comment_post(by=people["participant"], clause_id=clause.id, body="A point.", stance="neutral")
    [email] = [m for m in mail.outbox if m.to == [reader.email]]
    html = email.alternatives[0].content
    assert '<html lang="es" dir="ltr">' in html
    assert _in("es", "Open it on the platform") in html and _in("es", "Open it on the platform") not in (
        "Open it on the platform",
        _in("fr", "Open it on the platform"),
    )
    # What is stored (the notification's words) is written once, in English, whoever acts.
    assert "commented on clause OP1" in email.subject and email.subject.endswith("(neutral).")


@pytest.mark.django_db
def test_the_draft_text_is_cached_per_language(client, draft, clause):
    with translation.override("fr"):
        french_status = clause.get_status_display()
    assert french_status != clause.get_status_display()
    french = client.get(f"/drafts/{draft.slug}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    english = client.get(f"/drafts/{draft.slug}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    french_text, english_text = (page.split('id="draft-text"')[1] for page in (french, english))
    assert f">{french_status}</span>" in french_text and f">{clause.get_status_display()}</span>" in english_text
    assert f">{french_status}</span>" not in english_text


@pytest.mark.django_db
def test_documents_stay_in_the_default_language_whoever_asks(client, draft, clause):
    """Until documents are written in the language of their own text, a file is the same for every
    reader (and cached once for all of them)."""
    url = f"/api/v1/drafts/{draft.slug}/export/?format=html"
    arabic = client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content
    caches_cleared()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content
    assert arabic == english and b'lang="en"' in english


def caches_cleared() -> None:
    from django.core.cache import caches

    caches[settings.RENDERS].clear()
