"""Co-sponsorships in the JSON record (``documents/data_cosponsors.py``, ``imports/record.py``):
exported, imported and exported again, the same but for ids, with the proponent's setting; none of
a Chatham House round's, whose delegations a file does not name."""

import json

import pytest

from drafting import services
from drafting.models import Amendment, Clause, Cosponsorship, Draft, Round
from tests.drafting.documents.test_lossless_json import export, upload, without_ids

pytestmark = pytest.mark.django_db


def _cosponsor(d):
    services.cosponsorship_join(kind="clause", item_id=d["proposal"].id, by=d["kofi"])
    services.cosponsorship_set(kind="amendment", item_id=d["amendment"].id, by=d["ana"], cosponsorship="on_acceptance")
    asked = services.cosponsorship_join(kind="amendment", item_id=d["amendment"].id, by=d["nia"])
    services.cosponsorship_decline(cosponsorship_id=asked.id, by=d["bea"])
    services.cosponsorship_join(kind="amendment", item_id=d["amendment"].id, by=d["kofi"])


def test_co_sponsorships_and_the_setting_survive_export_and_import(delegations, draft, people):
    _cosponsor(delegations)
    first = export(draft, people["moderator"])
    record = json.loads(first)["record"]
    assert [(c["organization"]["name"], c["status"]) for c in record["cosponsorships"]] == [
        ("Kenya", "joined"),
        ("Open Net", "declined"),
        ("Kenya", "requested"),
    ]
    response = upload(first, people["admin"], new_symbol="true")
    assert response.status_code == 201, response.content
    copy = Draft.objects.get(slug=response.json()["slug"])
    second = export(copy, people["admin"])
    before, after = without_ids(json.loads(first)), without_ids(json.loads(second))
    for key in ("slug", "symbol"):  # an address is this installation's; the copy took a new symbol
        before["draft"].pop(key)
        after["draft"].pop(key)
    assert after["record"] == before["record"]
    assert Amendment.objects.get(clause__draft=copy).cosponsorship == "on_acceptance"
    proposal = Clause.objects.get(draft=copy, title="Contact points")
    joined = Cosponsorship.objects.get(clause=proposal)
    assert (joined.organization.name, joined.status, joined.requested_by.username) == (
        "Kenya",
        "joined",
        f"kofi (imported, draft {copy.pk})",
    )


def test_a_chatham_house_round_s_co_sponsors_stay_out_of_the_file(delegations, draft, people):
    Round.objects.filter(pk=delegations["round"].pk).update(chatham_house=True)
    _cosponsor(delegations)
    text = export(draft, people["moderator"]).decode()
    assert json.loads(text)["record"]["cosponsorships"] == []
    assert "Kenya" not in text and "Open Net" not in text
