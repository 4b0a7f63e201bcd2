"""Times show with their zone, in the person's own zone when they set one (blank: UTC), named as
people write it."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from codeofconduct import timezones
from drafting import services
from drafting.models import Comment
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

WINTER = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)


def _text(response) -> str:
    return " ".join(strip_tags(response.content.decode()).split())


def test_profile_page_sets_the_zone_and_refuses_an_unknown_one(client, people):
    person = people["participant"]
    client.force_login(person)
    page = client.get("/accounts/profile/").content.decode()
    assert 'data-testid="time-zone-form"' in page and '<option value="Europe/Zurich">' in page
    assert client.post("/accounts/profile/", {"time_zone": "Europe/Zurich"}).status_code == 302
    person.refresh_from_db()
    assert person.time_zone == "Europe/Zurich"
    refused = client.post("/accounts/profile/", {"time_zone": "Mars/Olympus_Mons"})
    assert refused.status_code == 400 and "is not a time zone this site knows" in refused.content.decode()
    person.refresh_from_db()
    assert person.time_zone == "Europe/Zurich"
    assert client.post("/accounts/profile/", {"time_zone": ""}).status_code == 302  # back to UTC
    person.refresh_from_db()
    assert person.time_zone == ""


def test_preferences_api_reads_and_sets_the_zone_beside_email(people):
    api = client_for(people["participant"])
    assert api.get("/api/v1/me/preferences/").json() == {"email": "immediate", "time_zone": "", "language": ""}
    response = api.put("/api/v1/me/preferences/", {"time_zone": "Asia/Tokyo"}, format="json")
    assert response.status_code == 200 and response.json() == {
        "email": "immediate",
        "time_zone": "Asia/Tokyo",
        "language": "",
    }
    response = api.put("/api/v1/me/preferences/", {"email": "daily"}, format="json")  # the contract's own body
    assert response.json() == {"email": "daily", "time_zone": "Asia/Tokyo", "language": ""}
    refused = api.put("/api/v1/me/preferences/", {"email": "off", "time_zone": "Nowhere/Town"}, format="json")
    assert refused.status_code == 400 and "time_zone" in refused.json()
    assert api.get("/api/v1/me/preferences/").json() == {
        "email": "daily",
        "time_zone": "Asia/Tokyo",
        "language": "",
    }  # nothing half-done
    assert api.put("/api/v1/me/preferences/", {}, format="json").status_code == 400
    # Names in the zone database that are no place: the server's own clock, a placeholder, copies.
    for not_a_place in ("localtime", "Factory", "posixrules", "posix/Europe/Paris", "right/UTC"):
        response = api.put("/api/v1/me/preferences/", {"time_zone": not_a_place}, format="json")
        assert response.status_code == 400, not_a_place


def test_pages_show_times_in_the_readers_zone_naming_it(client, clause, people):
    comment = services.comment_post(by=people["observer"], clause_id=clause.id, body="Noted.", stance="neutral")
    Comment.objects.filter(pk=comment.pk).update(created_at=WINTER)
    reader = people["participant"]
    client.force_login(reader)
    assert "4 Dec 2026, 16:00 UTC" in client.get(f"/clauses/{clause.id}/").content.decode()
    reader.time_zone = "Europe/Paris"
    reader.save()
    page = client.get(f"/clauses/{clause.id}/").content.decode()
    assert "4 Dec 2026, 17:00 CET" in page and "16:00 UTC" not in page
    # The API answers in UTC whoever asks: programs read it, not people.
    api_time = client_for(reader).get(f"/api/v1/comments/{comment.id}/").json()["created_at"]
    assert api_time.endswith("Z") or api_time.endswith("+00:00")
    # The zone is the request's only: the next anonymous reader sees UTC.
    client.logout()
    assert "4 Dec 2026, 16:00 UTC" in client.get(f"/clauses/{clause.id}/").content.decode()


def test_a_zone_without_a_short_name_shows_its_offset():
    with timezone.override("Asia/Kathmandu"):
        assert timezones.display(WINTER) == "4 Dec 2026, 21:45 UTC+05:45"
    with timezone.override("America/Sao_Paulo"):
        assert timezones.display(WINTER) == "4 Dec 2026, 13:00 UTC-03"
    assert timezones.display(None) == ""


def test_no_page_template_prints_a_time_without_its_zone():
    """Every displayed time goes through the ``when`` filter (or names its zone): no bare ``|date`` with hours."""
    import re
    from pathlib import Path

    from django.conf import settings

    offenders = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = path.read_text()
        for match in re.finditer(r"\|date:['\"]([^'\"]*)['\"]", text):
            if match.group(1) != "c" and re.search(r"[HGhgiAa]", match.group(1)):
                offenders.append(f"{path.name}: {match.group(0)}")
    assert not offenders, offenders


def test_a_chosen_zone_is_named_as_people_write_it(client, people):
    client.force_login(people["participant"])
    response = client.post("/accounts/profile/", {"time_zone": "America/Sao_Paulo"}, follow=True)
    assert "Times are now shown in America/Sao Paulo." in _text(response)
