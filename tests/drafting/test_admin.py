"""The admin writes through the services too: a clause edit is a version with a reason, never a silent overwrite."""

import pytest

from drafting import services
from drafting.models import Clause, Draft, DraftMembership

pytestmark = pytest.mark.django_db


def _form(clause, **changes):
    data = {
        "section": clause.section_id,
        "title": clause.title,
        "text": clause.text,
        "status": clause.status,
        "based_on_version": clause.version,
        "reason": "Editorial",
    }
    return {**data, **changes}


def test_an_admin_edit_is_a_new_version_with_its_reason(client, admin_user, clause):
    client.force_login(admin_user)
    url = f"/admin/drafting/clause/{clause.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(url, _form(clause, text="States should protect it.", reason="Agreed at the plenary"))
    assert response.status_code == 302, response.content.decode()[:2000]
    clause.refresh_from_db()
    assert (clause.version, clause.text) == (2, "States should protect it.")
    assert "<p>States should protect it.</p>" in clause.text_html
    latest = clause.history.order_by("-history_id").first()
    assert (latest.history_change_reason, latest.history_user) == ("Agreed at the plenary", admin_user)


def test_an_admin_edit_against_an_old_version_is_refused_and_keeps_the_words(client, admin_user, clause, people):
    client.force_login(admin_user)
    stale = _form(clause, text="My words from the old version.")
    services.clause_update(clause_id=clause.id, version=1, by=people["moderator"], text="Someone else's words.")
    response = client.post(f"/admin/drafting/clause/{clause.pk}/change/", stale)
    assert response.status_code == 200  # the form again, not saved
    html = response.content.decode()
    assert "was changed by someone else" in html and "My words from the old version." in html
    clause.refresh_from_db()
    assert (clause.version, clause.text) == (2, "Someone else's words.")


def test_the_admin_creates_drafts_and_appoints_through_the_services(client, admin_user, people):
    client.force_login(admin_user)
    created = client.post(
        "/admin/drafting/draft/add/", {"title": "Annex on norms", "summary": "", "visibility": "public"}
    )
    assert created.status_code == 302
    draft = Draft.objects.get(title="Annex on norms")
    assert draft.slug == "annex-on-norms" and draft.history.first().history_change_reason == "Draft created"
    appointed = client.post(
        "/admin/drafting/draftmembership/add/",
        {"draft": draft.pk, "user": people["observer"].pk, "role": "moderator"},
    )
    assert appointed.status_code == 302
    assert DraftMembership.objects.get(draft=draft, user=people["observer"]).role == "moderator"
    # Moderators follow their draft from appointment, as the service does for every door.
    assert people["observer"].subscriptions.filter(draft=draft).exists()
    assert client.get("/admin/drafting/clause/add/").status_code == 403
    assert not Clause.objects.filter(draft=draft).exists()
