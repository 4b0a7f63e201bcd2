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


INLINE = {"sections-TOTAL_FORMS": "0", "sections-INITIAL_FORMS": "0", "sections-MIN_NUM_FORMS": "0"}


def test_the_admin_changes_a_draft_and_removes_a_member_through_the_services(client, admin_user, draft, people):
    client.force_login(admin_user)
    changed = client.post(
        f"/admin/drafting/draft/{draft.pk}/change/",
        {"title": "Renamed draft", "summary": "", "visibility": "members", **INLINE},
    )
    assert changed.status_code == 302, changed.content.decode()[:500]
    draft.refresh_from_db()
    assert (draft.title, draft.visibility) == ("Renamed draft", "members")
    assert draft.history.first().history_change_reason == "Changed title, summary, visibility"
    observer = people["observer"]
    membership = DraftMembership.objects.get(draft=draft, user=observer)
    removed = client.post(f"/admin/drafting/draftmembership/{membership.pk}/delete/", {"post": "yes"})
    assert removed.status_code == 302
    assert not DraftMembership.objects.filter(draft=draft, user=observer).exists()
    record = DraftMembership.history.filter(id=membership.pk).order_by("-history_id").first()
    assert (record.history_type, record.history_change_reason, record.history_user) == (
        "-",
        "Removed as observer",
        admin_user,
    )


def test_the_admin_renames_a_section_and_corrects_a_round_until_it_closes(client, admin_user, draft, section, people):
    client.force_login(admin_user)
    renamed = client.post(f"/admin/drafting/section/{section.pk}/change/", {"title": "Operative norms", "position": 2})
    assert renamed.status_code == 302
    section.refresh_from_db()
    assert (section.title, section.position) == ("Operative norms", 2)

    round_ = services.round_create(draft=draft, by=people["moderator"], title="First reading")
    services.round_open(round_id=round_.id, by=people["moderator"])
    services.round_start_voting(round_id=round_.id, by=people["moderator"])
    form = {
        "title": "First reading",
        "voting_rule": round_.voting_rule,
        "counting": round_.counting,
        "quorum": 0,
        "eligible_groups": '["government", "industry", "academia", "civil_society"]',
        "hide_tallies_until_close": "on",
        "closes_at_0": "2026-12-24",
        "closes_at_1": "12:00:00",
    }
    url = f"/admin/drafting/round/{round_.pk}/change/"
    moved = client.post(url, form)
    assert moved.status_code == 302, moved.content.decode()[:800]
    round_.refresh_from_db()
    assert round_.closes_at.isoformat().startswith("2026-12-24")
    # While it votes, the rule it votes under does not change: refused on the form, nothing saved.
    refused = client.post(url, {**form, "quorum": 5})
    assert refused.status_code == 200 and "no longer change" in refused.content.decode()
    round_.refresh_from_db()
    assert round_.quorum == 0


def test_reverting_from_the_admin_history_goes_through_the_version_check(client, admin_user, clause, people):
    """The history page shows each version; posting an old one back is an edit against a stale version."""
    services.clause_update(clause_id=clause.id, version=1, by=people["moderator"], text="Second wording.")
    client.force_login(admin_user)
    assert client.get(f"/admin/drafting/clause/{clause.pk}/history/").status_code == 200
    first = clause.history.order_by("history_id").first()
    url = f"/admin/drafting/clause/{clause.pk}/history/{first.history_id}/"
    page = client.get(url)
    assert page.status_code == 200 and "View " in page.content.decode()
    clause.refresh_from_db()
    response = client.post(url, _form(clause, text=first.text, based_on_version=first.version))
    assert response.status_code == 200 and "was changed by someone else" in response.content.decode()
    clause.refresh_from_db()
    assert (clause.version, clause.text) == (2, "Second wording.")
