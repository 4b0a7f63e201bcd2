"""The vote control on the pages."""

import pytest

from drafting import services
from drafting.models import Vote

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_vote_control_on_the_page(client, draft, clause, people, round_):
    proposed = services.clause_create(
        draft=draft, section_id=clause.section_id, title="New", text="States should share.", by=people["participant"]
    )
    client.force_login(people["participant"])
    early = client.post(f"/votes/clause/{proposed.id}/", {"choice": "yes"}, **HTMX)
    assert early.status_code == 409 and "only while a round is voting" in early.content.decode()
    services.round_start_voting(round_id=round_.id, by=people["moderator"])
    page = client.get(f"/clauses/{proposed.id}/").content.decode()
    assert 'value="yes"' in page and "Your delegation has not voted yet." in page
    voted = client.post(f"/votes/clause/{proposed.id}/", {"choice": "yes"}, **HTMX).content.decode()
    assert (
        "Your delegation voted <strong>yes</strong>" in voted and "Tallies are hidden until the round closes." in voted
    )
    changed = client.post(f"/votes/clause/{proposed.id}/", {"choice": "abstain"}, **HTMX).content.decode()
    assert "Your delegation voted <strong>abstain</strong>" in changed
    assert Vote.objects.get().choice == "abstain"
    client.force_login(people["observer"])
    observer_page = client.get(f"/clauses/{proposed.id}/").content.decode()
    assert 'value="yes"' not in observer_page
    assert client.post(f"/votes/clause/{proposed.id}/", {"choice": "yes"}, **HTMX).status_code == 403
