"""The snapshot, list and compare pages."""

import pytest

from drafting import services

pytestmark = pytest.mark.django_db


def test_snapshot_compare_and_list_pages(draft, clause, people, client):
    first = services.snapshot_create(draft=draft, label="Zero draft", by=people["moderator"])
    services.clause_update(clause_id=clause.id, version=1, by=people["moderator"], text="States must cooperate.")
    second = services.snapshot_create(draft=draft, label="Chair's text", by=people["moderator"])
    listing = client.get(f"/drafts/{draft.slug}/snapshots/").content.decode()
    assert "Zero draft" in listing and "Chair&#x27;s text" in listing
    snapshot_page = client.get(f"/snapshots/{first.id}/").content.decode()
    assert clause.text in snapshot_page and "It never changes." in snapshot_page
    compare = client.get(f"/drafts/{draft.slug}/compare/?from={first.id}&to={second.id}").content.decode()
    assert "<ins>must cooperate</ins>" in compare and 'class="change-changed"' in compare
    assert client.get(f"/drafts/{draft.slug}/compare/?from={first.id}&to=99999").status_code == 404
    assert "<ins>must cooperate</ins>" in client.get(f"/drafts/{draft.slug}/compare/").content.decode()
    client.force_login(people["moderator"])
    made = client.post(f"/drafts/{draft.slug}/snapshots/", {"label": "Friday text"}, follow=True).content.decode()
    assert "“Friday text” published." in made
    client.force_login(people["participant"])
    assert client.post(f"/drafts/{draft.slug}/snapshots/", {"label": "Mine"}).status_code == 403
