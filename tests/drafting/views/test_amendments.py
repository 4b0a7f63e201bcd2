"""The amend page with its redline, the amendment page and withdrawing (after which it asks nobody to vote)."""

import pytest
from django.utils.html import strip_tags

from drafting import services
from drafting.models import Amendment

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _text(response) -> str:
    return " ".join(strip_tags(response.content.decode()).split())


def test_amend_page_redline_and_competing_notice(client, clause, people, round_):
    client.force_login(people["participant"])
    form = client.get(f"/clauses/{clause.id}/amend/").content.decode()
    assert clause.text in form  # the current text to start from
    response = client.post(
        f"/clauses/{clause.id}/amend/",
        {
            "kind": "modify",
            "text": "States must not knowingly allow their territory to be used for wrongful acts.",
            "rationale": "Firmer",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Amendment submitted." in html
    assert (
        '<del>should</del><span class="visually-hidden"> end of deletion </span>'
        '<span class="visually-hidden">inserted: </span><ins>must</ins>'
    ) in html
    services.amendment_submit(
        clause_id=clause.id,
        by=people["moderator"],
        kind="modify",
        text="States shall not knowingly allow their territory to be used for wrongful acts.",
    )
    mine = Amendment.objects.get(author=people["participant"])
    assert "Competes with" in client.get(f"/amendments/{mine.id}/").content.decode()
    clause_page = client.get(f"/clauses/{clause.id}/").content.decode()
    assert clause_page.count('data-testid="competing"') == 2
    empty = client.post(f"/clauses/{clause.id}/amend/", {"kind": "modify", "text": "", "rationale": "Kept rationale"})
    assert empty.status_code == 400 and "Kept rationale" in empty.content.decode()


def test_withdraw_on_page(client, clause, people, round_):
    amendment = services.amendment_submit(clause_id=clause.id, by=people["participant"], kind="delete")
    client.force_login(people["observer"])
    assert client.post(f"/amendments/{amendment.id}/withdraw/").status_code == 403
    client.force_login(people["participant"])
    page = client.post(f"/amendments/{amendment.id}/withdraw/", follow=True).content.decode()
    assert "Amendment withdrawn." in page
    amendment.refresh_from_db()
    assert amendment.status == "withdrawn"


def test_a_withdrawn_amendment_asks_nobody_to_vote(client, draft, clause, people, round_):
    amendment = services.amendment_submit(
        clause_id=clause.id, by=people["participant"], kind="modify", text="States should talk."
    )
    client.force_login(people["participant"])
    assert "Accept this amendment?" in _text(client.get(f"/amendments/{amendment.id}/"))
    services.amendment_withdraw(amendment_id=amendment.id, by=people["participant"])
    assert "Accept this amendment?" not in _text(client.get(f"/amendments/{amendment.id}/"))
