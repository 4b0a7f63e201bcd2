"""Results and dispositions through the API."""

import pytest

from drafting import services
from drafting.models import Round
from tests.conftest import client_for
from tests.drafting.factories import SectionFactory, voting

pytestmark = pytest.mark.django_db


def test_results_hidden_until_close_then_stored_per_group(closed_round, people):
    round_ = closed_round["round"]
    url = f"/api/v1/rounds/{round_.id}/results/"
    hidden = client_for(people["participant"]).get(url)
    assert hidden.status_code == 409 and hidden.json()["phase"] == "voting"
    hidden = client_for(people["moderator"]).get(url)  # from the moderators too
    assert hidden.status_code == 409 and "hides its tallies" in hidden.json()["detail"]
    Round.objects.filter(pk=round_.pk).update(hide_tallies_until_close=False)
    live = client_for(people["participant"]).get(url)
    assert live.status_code == 200 and live["X-Results-Final"] == "false"
    services.round_close(round_id=round_.id, by=people["moderator"])
    body = client_for(None).get(url).json()
    by_item = {(r["item"]["type"], r["item"]["id"]): r for r in body}
    proposal = by_item[("clause", closed_round["proposal"].id)]
    assert proposal["outcome"] == "rejected"  # 4 yes to 2 no overall, but industry said no 2 to 1
    assert proposal["totals"] == {"yes": 4, "no": 2, "abstain": 0}
    assert proposal["by_group"] == {
        "government": {"yes": 3, "no": 0, "abstain": 0},
        "industry": {"yes": 1, "no": 2, "abstain": 0},
    }
    amendment = by_item[("amendment", closed_round["amendment"].id)]
    assert (amendment["outcome"], amendment["effect"]) == ("accepted", "merged")
    assert amendment["totals"] == {"yes": 4, "no": 1, "abstain": 1}
    assert amendment["item"]["by"] == {
        "group": "government",
        "name": "a_participant",
        "organization": amendment["item"]["by"]["organization"],
    }


def test_chatham_house_results_show_groups_not_names(draft, clause, people):
    moderator = people["moderator"]
    round_ = services.round_create(draft=draft, by=moderator, title="Closed doors", chatham_house=True)
    services.round_open(round_id=round_.id, by=moderator)
    services.amendment_submit(clause_id=clause.id, by=people["participant"], kind="modify", text="Other words.")
    remark = services.comment_post(by=people["participant"], clause_id=clause.id, body="Needed.", stance="support")
    services.comment_dispose(comment_id=remark.id, by=moderator, disposition="noted", reason="Thanks")
    services.round_start_voting(round_id=round_.id, by=moderator)
    services.round_close(round_id=round_.id, by=moderator)
    row = client_for(None).get(f"/api/v1/rounds/{round_.id}/results/").json()[0]
    assert row["item"]["by"] == {"group": "government"}
    assert row["item"]["speaking_for"] == {"organization": None, "stakeholder_group": "government", "verified": True}
    disposition = client_for(None).get(f"/api/v1/rounds/{round_.id}/dispositions/").json()["results"][0]
    assert disposition["author"] is None and disposition["author_group"] == "government"
    page = client_for(None).get(f"/rounds/{round_.id}/results/")
    html = page.content.decode()
    assert "a_participant" not in html and "Government" in html


def test_dispositions_are_recorded_by_moderators_and_published_at_close(closed_round, people):
    round_, remark = closed_round["round"], closed_round["remark"]
    url = f"/api/v1/comments/{remark.id}/disposition/"
    assert client_for(people["participant"]).post(url, {"disposition": "noted"}, format="json").status_code == 403
    bad = client_for(people["moderator"]).post(url, {"disposition": "ignored"}, format="json")
    assert bad.status_code == 400 and "disposition" in bad.json()
    ok = client_for(people["moderator"]).post(
        url, {"disposition": "partly_accepted", "reason": "Kept in 3(b)"}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["disposition"] == "partly_accepted"
    listing = f"/api/v1/rounds/{round_.id}/dispositions/"
    assert client_for(people["observer"]).get(listing).status_code == 409  # published at close
    services.round_close(round_id=round_.id, by=people["moderator"])
    published = client_for(people["observer"]).get(listing).json()["results"]
    assert [(d["comment"], d["author"], d["disposition"], d["reason"]) for d in published] == [
        (remark.id, "a_observer", "partly_accepted", "Kept in 3(b)")
    ]
    html = client_for(None).get(f"/rounds/{round_.id}/results/").content.decode()
    assert "Partly accepted" in html and "Kept in 3(b)" in html


def test_provisional_results_list_proposals_in_reading_order(draft, people, round_):
    """A clause proposed in an earlier section comes first, whatever number it was given."""
    later = SectionFactory(draft=draft, position=2, title="Later")
    earlier = SectionFactory(draft=draft, position=1, title="Earlier")
    for section, title in ((later, "In the later section"), (earlier, "In the earlier section")):
        services.clause_create(draft=draft, section_id=section.id, title=title, text="Text.", by=people["participant"])
    voting(round_, people)
    Round.objects.filter(pk=round_.pk).update(hide_tallies_until_close=False)
    rows = client_for(people["moderator"]).get(f"/api/v1/rounds/{round_.id}/results/").json()
    assert [r["item"]["title"].split(": ")[1] for r in rows] == ["In the earlier section", "In the later section"]
