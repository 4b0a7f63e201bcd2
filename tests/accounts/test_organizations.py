"""No organization can pass for another (accounts/identity.py, accounts/services.py): a name that reads
the same as one already here, whatever its letters, case, spacing or punctuation, is refused with
the name it resembles, in every stakeholder group and through every door."""

import pytest

from accounts.models import Organization
from tests.accounts.factories import OrganizationFactory
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

LOOK_ALIKES = [
    "Tokyo Tеlecom Group",  # a Cyrillic е
    "ТОКУО ТЕLЕСОМ GROUP",  # Cyrillic capitals that look Latin
    "Tokyo\u200bTelecom Group",  # a zero-width space
    "Ｔｏｋｙｏ Ｔｅｌｅｃｏｍ Ｇｒｏｕｐ",  # full-width letters
    "Tokyo  Telecom Group",  # a double space
    "Tokyo Telecom Group.",  # a trailing dot
    "tokyo telecom group",  # case
    "Tokyo Telecom-Group",  # punctuation
    "TokyoTelecomGroup",  # the spaces left out
    "Tokyo_Telecom_Group",  # underscores for spaces
    "T\u1d0fkyo Telecom Group",  # a Latin small capital ᴏ
    "Tokyo Telecom Gr\u1d0fup",
    "T\u00f3kyo T\u00e9lecom Group",  # marks on Latin letters
    "Tokyo Telecom Group",  # the very name
    "Tokyo Telecom Group\u3000",  # an ideographic space after it
    "Tokyo Tele\u00adcom Group",  # a soft hyphen
    "Tokyo Tele\u2060com Group",  # a word joiner
]
DOTLESS = ["Kenya ICT Author\u0131ty", "Kenya ICT\u00a0Authority", "KENYA_ICT_AUTHORITY"]


@pytest.mark.parametrize("name", LOOK_ALIKES)
@pytest.mark.parametrize("group", ["industry", "government", "civil_society"])
def test_a_look_alike_name_is_refused_with_the_name_it_resembles(people, name, group):
    OrganizationFactory(name="Tokyo Telecom Group", stakeholder_group="industry")
    before = Organization.objects.count()
    answer = client_for(people["non_member"]).post(
        "/api/v1/organizations/", {"name": name, "stakeholder_group": group, "country": "JP"}, format="json"
    )
    assert answer.status_code == 400, answer.content
    message = answer.json()["name"][0]
    assert "“Tokyo Telecom Group”" in message, message
    assert Organization.objects.count() == before


@pytest.mark.parametrize("name", DOTLESS)
def test_a_dotless_i_or_a_spacing_trick_is_refused_too(people, name):
    OrganizationFactory(name="Kenya ICT Authority", stakeholder_group="government")
    answer = client_for(people["non_member"]).post(
        "/api/v1/organizations/", {"name": name, "stakeholder_group": "government", "country": "KE"}, format="json"
    )
    assert answer.status_code == 400 and "Kenya ICT Authority" in answer.json()["name"][0], answer.content


def test_a_name_of_punctuation_only_is_refused(people):
    answer = client_for(people["non_member"]).post(
        "/api/v1/organizations/", {"name": "…", "stakeholder_group": "industry", "country": "JP"}, format="json"
    )
    assert answer.status_code == 400 and "letters or digits" in answer.json()["name"][0]


def test_keys_made_before_are_made_again_by_the_migration(people):
    """Existing organizations get the new key; two that now read the same both stay."""
    from importlib import import_module

    from django.apps import apps

    first = OrganizationFactory(name="Tokyo Telecom Group", stakeholder_group="industry")
    second = OrganizationFactory(name="Tokyo Telecoms Group", stakeholder_group="industry")
    Organization.objects.filter(pk=first.pk).update(name_key="tokyo telecom group")  # as 0007 made it
    Organization.objects.filter(pk=second.pk).update(name_key="tokyotelecomgroup")  # an older clash
    Organization.objects.filter(pk=second.pk).update(name="TokyoTelecomGroup")
    import_module("accounts.migrations.0008_organization_name_key_spacing").refill_keys(apps, None)
    keys = dict(Organization.objects.filter(pk__in=[first.pk, second.pk]).values_list("pk", "name_key"))
    assert keys == {first.pk: "tokyotelecomgroup", second.pk: f"tokyotelecomgroup#{second.pk}"}


def test_a_look_alike_is_refused_at_sign_up_and_in_the_admin(client, people):
    OrganizationFactory(name="Tokyo Telecom Group", stakeholder_group="industry")
    before = Organization.objects.count()
    form = {
        "username": "look_alike",
        "email": "o@example.org",
        "password": "correct horse battery",
        "new_organization_name": "Tokyo Tеlecom Group",
        "new_organization_group": "industry",
        "new_organization_country": "JP",
    }
    page = client.post("/accounts/signup/", form)
    assert page.status_code == 400 and "reads the same as “Tokyo Telecom Group”" in page.content.decode()
    assert 'value="Tokyo Tеlecom Group"' in page.content.decode()  # the form keeps what was typed
    client.force_login(people["admin"])
    added = client.post(
        "/admin/accounts/organization/add/",
        {"name": "Tokyo Telecom Group.", "stakeholder_group": "industry", "country": "JP"},
    )
    assert added.status_code == 200 and "reads the same as" in added.content.decode()
    assert Organization.objects.count() == before


def test_names_that_differ_for_a_reader_are_all_welcome(people):
    client = client_for(people["non_member"])
    for name in (
        "Tokyo Telecom Group",
        "Tokyo Telecoms Group",
        "Минцифры России",
        "東京テレコム",
        "東京テレコムグループ",  # the long-vowel mark ー is katakana's
        "ソニー株式会社",
        "佐々木工業",  # the iteration mark 々
        "Ministère des Armées",
    ):
        made = client.post(
            "/api/v1/organizations/", {"name": name, "stakeholder_group": "industry", "country": "JP"}, format="json"
        )
        assert made.status_code == 201, (name, made.content)
        assert made.json()["name"] == name


def test_a_name_longer_than_its_column_once_written_is_refused_not_a_500(people):
    """NFKC may write one character as several ("ﷺ" is eighteen): the limit holds on the name as it
    is stored, not as it was typed."""
    typed = "Institute " + "ﷺ" * 12  # 22 characters typed, 226 as written
    answer = client_for(people["non_member"]).post(
        "/api/v1/organizations/", {"name": typed, "stakeholder_group": "academia", "country": "FR"}, format="json"
    )
    assert answer.status_code == 400, answer.content
    assert "at most 200 characters as written here; this one has 226" in answer.json()["name"][0]
    assert not Organization.objects.filter(name__startswith="Institute").exists()
