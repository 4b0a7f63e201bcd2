"""The results page, in the words people read, and recording a disposition for a comment."""

import pytest

from accounts.models import StakeholderGroup
from drafting import services
from drafting.forms import DispositionForm
from drafting.models import CommentDisposition, Outcome
from notifications.models import Event
from tests.drafting.factories import cast, make_voters, propose
from tests.drafting.views.conftest import body_text, page, seen

pytestmark = pytest.mark.django_db

# Keys kept in the database that a page must never print: people read the labels.
RAW_KEYS = [v for v in (*StakeholderGroup.values, *Outcome.values) if "_" in v] + ["noquorum", "civilsociety"]


def test_results_page_shows_a_bar_per_group(closed_round, people, client):
    services.round_close(round_id=closed_round["round"].id, by=people["moderator"])
    html = client.get(f"/rounds/{closed_round['round'].id}/results/").content.decode()
    assert html.count('data-testid="group-row"') == 4  # two items, two groups each
    assert 'aria-label="1 yes, 2 no, 0 abstain"' in html  # industry on the proposal
    assert "Rev.1" in html


@pytest.mark.parametrize(
    ("quorum", "pattern", "outcome"),
    [
        (0, {"government": "yy", "civil_society": "yn"}, "Rejected"),  # civil society split: no majority
        (0, {"government": "yy", "civil_society": "yy"}, "Accepted"),
        (9, {"government": "yy", "civil_society": "yy"}, "No quorum"),
    ],
)
def test_results_show_each_outcome_once_with_labels(client, draft, clause, people, quorum, pattern, outcome):
    moderator = people["moderator"]
    round_ = services.round_create(
        draft=draft, by=moderator, title="First reading", voting_rule="multistakeholder", quorum=quorum
    )
    services.round_open(round_id=round_.id, by=moderator)
    proposal = propose(draft, clause, people)
    amendment = services.amendment_submit(
        clause_id=clause.id, by=people["participant"], kind="modify", text=clause.text + " Promptly."
    )
    voters = make_voters(draft, government=2, civil_society=2)
    services.round_start_voting(round_id=round_.id, by=moderator)
    cast(voters, proposal, pattern)
    cast(voters, amendment, pattern)
    client.force_login(moderator)
    services.round_close(round_id=round_.id, by=moderator)

    tree = page(client, f"/rounds/{round_.id}/results/")
    rows = tree.findall('.//*[@data-testid="result-row"]')
    assert len(rows) == 2
    for row in rows:
        cell = seen(row.find('.//*[@data-testid="outcome"]/..'))
        assert cell.lower().count(outcome.lower()) == 1, cell
        assert seen(row.find('.//*[@data-testid="outcome"]')) == outcome
    groups = [seen(r.findall("td")[0]) for r in tree.findall('.//*[@data-testid="group-row"]')]
    assert sorted(set(groups)) == ["— Civil society", "— Government"]
    for url in (f"/rounds/{round_.id}/results/", f"/rounds/{round_.id}/console/", f"/drafts/{draft.slug}/rounds/"):
        text = body_text(page(client, url))
        for key in RAW_KEYS:
            assert key not in text, (url, key)
    assert "Civil society" in body_text(page(client, f"/rounds/{round_.id}/console/"))
    events = list(Event.objects.filter(draft=draft))
    assert any(event.kind == "round_closed" for event in events)
    for event in events:  # what people are told, in the app and by email
        assert not any(key in event.message for key in RAW_KEYS), event.message


def test_disposition_has_no_default_and_is_required(client, draft, clause, people, round_):
    remark = services.comment_post(by=people["observer"], clause_id=clause.id, body="Keep it short.")
    assert not DispositionForm({"disposition": "", "reason": "x"}).is_valid()
    client.force_login(people["moderator"])
    tree = page(client, f"/rounds/{round_.id}/console/")
    select = tree.find('.//form[@class="stacked disposition-form"]//select[@name="disposition"]')
    options = select.findall("option")
    assert options[0].get("value") == "" and seen(options[0]).startswith("Choose")
    assert select.get("required") is not None
    assert not [o for o in options if o.get("selected") is not None and o.get("value")]
    response = client.post(f"/comments/{remark.id}/disposition/", {"disposition": "", "reason": "Only a reason"})
    assert response.status_code == 302
    assert not CommentDisposition.objects.exists()
