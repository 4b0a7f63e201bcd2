"""The rounds page and the moderator console."""

import pytest

from drafting.models import Round

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_console_shows_phase_participation_queue_and_records_dispositions(closed_round, people, client):
    round_, remark = closed_round["round"], closed_round["remark"]
    client.force_login(people["participant"])
    assert client.get(f"/rounds/{round_.id}/console/").status_code == 403
    client.force_login(people["moderator"])
    html = client.get(f"/rounds/{round_.id}/console/").content.decode()
    assert "Close now" in html and "Please keep" in html
    # 3 government voters (+ the fixture's government participant) and 3 industry voters; all 3 of each voted.
    assert "<td>Government</td><td>4</td><td>3</td><td>6</td>" in html
    assert "<td>Industry</td><td>3</td><td>3</td><td>6</td>" in html
    live = client.get(f"/rounds/{round_.id}/console/?part=participation", HTTP_HX_REQUEST="true").content.decode()
    assert live.lstrip().startswith('<div id="participation"') and 'hx-trigger="every 10s"' in live
    assert "<td>Industry</td><td>3</td><td>3</td><td>6</td>" in live and "Close now" not in live
    client.post(
        f"/comments/{remark.id}/disposition/",
        {"disposition": "not_accepted", "reason": "Consensus for must", "next": f"/rounds/{round_.id}/console/"},
    )
    remark.refresh_from_db()
    assert (remark.disposition.disposition, remark.disposition.reason) == ("not_accepted", "Consensus for must")
    client.post(f"/rounds/{round_.id}/close/")
    round_.refresh_from_db()
    assert round_.phase == "closed"
    assert "Results" in client.get(f"/rounds/{round_.id}/console/").content.decode()


def test_moderator_runs_a_round_from_the_rounds_page(client, draft, people):
    client.force_login(people["participant"])
    assert client.post(f"/drafts/{draft.slug}/rounds/", {"title": "X"}).status_code == 403
    client.force_login(people["moderator"])
    created = client.post(
        f"/drafts/{draft.slug}/rounds/",
        {
            "title": "First reading",
            "voting_rule": "consensus",
            "quorum": 2,
            "eligible_groups": ["government", "academia"],
            "hide_tallies_until_close": "on",
        },
        follow=True,
    )
    assert "“First reading” created." in created.content.decode()
    round_ = Round.objects.get()
    assert (round_.voting_rule, round_.eligible_groups) == ("consensus", ["government", "academia"])
    for move, phase in (("open", "open"), ("start-voting", "voting"), ("close", "closed")):
        page = client.post(f"/rounds/{round_.id}/{move}/", follow=True).content.decode()
        assert f"is now {phase}" in page
    again = client.post(f"/rounds/{round_.id}/open/", follow=True).content.decode()
    assert "can only move to open from scheduled" in again
    backwards = client.post(
        f"/drafts/{draft.slug}/rounds/",
        {
            "title": "Kept title",
            "voting_rule": "consensus",
            "quorum": 0,
            "eligible_groups": ["government"],
            "opens_at": "2026-12-05T10:00",
            "voting_opens_at": "2026-12-01T10:00",
        },
    )
    assert backwards.status_code == 400 and 'value="Kept title"' in backwards.content.decode()
