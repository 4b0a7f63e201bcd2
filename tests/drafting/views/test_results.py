"""The results page."""

import pytest

from drafting import services

pytestmark = pytest.mark.django_db


def test_results_page_shows_a_bar_per_group(closed_round, people, client):
    services.round_close(round_id=closed_round["round"].id, by=people["moderator"])
    html = client.get(f"/rounds/{closed_round['round'].id}/results/").content.decode()
    assert html.count('data-testid="group-row"') == 4  # two items, two groups each
    assert 'aria-label="1 yes, 2 no, 0 abstain"' in html  # industry on the proposal
    assert "Rev.1" in html
