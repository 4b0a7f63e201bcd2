"""Co-sponsors (``drafting/services/cosponsors.py``, ``selectors/cosponsors.py``, ``naming.Cosponsors``):
a delegation joins or asks, the proponent decides and sets how its proposal takes co-sponsors, the
rules refuse what they refuse, and every page and paper says "Proposed by A, co-sponsored by B, C",
with groups only under the Chatham House rule. The rules' cells are in ``test_rules.py``."""

import io
import json
import zipfile

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from codeofconduct.errors import Conflict, InvalidInput, NotAllowed, NotFound
from drafting import services
from drafting.documents.compilation import to_data
from drafting.documents.compilation_build import build_compilation
from drafting.documents.compilation_formats import render_compilation
from drafting.models import Cosponsorship, Round
from notifications.models import Event
from tests.drafting.factories import cast, make_voters

pytestmark = pytest.mark.django_db


def join(who, item, kind="clause"):
    return services.cosponsorship_join(kind=kind, item_id=item.id, by=who)


def test_an_open_proposal_takes_co_sponsors_at_once_and_tells_the_proponent(delegations):
    d = delegations
    row = join(d["kofi"], d["proposal"])
    assert row.status == Cosponsorship.Status.JOINED
    assert row.organization.name == "Kenya" and row.requested_by == d["kofi"]
    event = Event.objects.get(kind="cosponsor_joined")
    assert event.recipient_ids == [d["ana"].id]
    assert event.message.startswith("Kenya (Government) co-sponsors your clause")
    amended = join(d["nia"], d["amendment"], "amendment")
    assert amended.status == Cosponsorship.Status.JOINED and amended.amendment_id == d["amendment"].id


def test_on_acceptance_a_request_waits_for_any_verified_member_of_the_proposing_delegation(delegations):
    d = delegations
    versions = d["proposal"].history.count()
    services.cosponsorship_set(kind="clause", item_id=d["proposal"].id, by=d["ana"], cosponsorship="on_acceptance")
    d["proposal"].refresh_from_db()
    assert d["proposal"].cosponsorship == "on_acceptance"
    assert d["proposal"].version == 1 and d["proposal"].history.count() == versions  # no version of the text
    asked = join(d["kofi"], d["proposal"])
    assert asked.status == Cosponsorship.Status.REQUESTED
    assert Event.objects.get(kind="cosponsor_requested").recipient_ids == [d["ana"].id]
    with pytest.raises(NotAllowed, match="proposing delegation"):
        services.cosponsorship_accept(cosponsorship_id=asked.id, by=d["nia"])
    accepted = services.cosponsorship_accept(cosponsorship_id=asked.id, by=d["bea"])  # her colleague decides too
    assert accepted.status == Cosponsorship.Status.JOINED and accepted.decided_by == d["bea"]
    with pytest.raises(Conflict, match="already joined"):
        services.cosponsorship_decline(cosponsorship_id=asked.id, by=d["ana"])
    declined = services.cosponsorship_decline(cosponsorship_id=join(d["nia"], d["proposal"]).id, by=d["ana"])
    assert declined.status == Cosponsorship.Status.DECLINED
    again = join(d["nia"], d["proposal"])  # a declined delegation may ask again
    assert again.pk != declined.pk and again.status == Cosponsorship.Status.REQUESTED
    assert [h.status for h in Cosponsorship.history.filter(id=asked.id).order_by("history_id")] == [
        "requested",
        "joined",
    ]


def test_withdrawing_keeps_the_record_and_the_delegation_may_join_again(delegations):
    d = delegations
    row = join(d["kofi"], d["proposal"])
    withdrawn = services.cosponsorship_withdraw(kind="clause", item_id=d["proposal"].id, by=d["kofi"])
    assert withdrawn.pk == row.pk and withdrawn.status == Cosponsorship.Status.WITHDRAWN
    with pytest.raises(NotFound, match="Kenya does not co-sponsor"):
        services.cosponsorship_withdraw(kind="clause", item_id=d["proposal"].id, by=d["kofi"])
    assert join(d["kofi"], d["proposal"]).status == Cosponsorship.Status.JOINED
    assert Cosponsorship.objects.filter(clause=d["proposal"]).count() == 2


def test_what_the_rules_refuse_they_refuse_with_the_domain_error(delegations, clause, people):
    d = delegations
    with pytest.raises(NotAllowed, match="cannot co-sponsor its own"):
        join(d["bea"], d["proposal"])
    with pytest.raises(NotAllowed, match="verified member"):
        join(d["uma"], d["proposal"])
    with pytest.raises(NotAllowed, match="Only participants"):
        join(people["observer"], d["proposal"])
    with pytest.raises(Conflict, match="Chair's proposal"):
        join(d["kofi"], clause)  # the moderator's text, in no round
    join(d["kofi"], d["proposal"])
    with pytest.raises(Conflict, match="Kenya already co-sponsors"):
        join(d["kofi"], d["proposal"])
    with pytest.raises(NotAllowed, match="proposing delegation"):
        services.cosponsorship_set(kind="clause", item_id=d["proposal"].id, by=d["kofi"], cosponsorship="open")
    with pytest.raises(InvalidInput):
        services.cosponsorship_set(kind="clause", item_id=d["proposal"].id, by=d["ana"], cosponsorship="closed")
    services.amendment_withdraw(amendment_id=d["amendment"].id, by=d["ana"])
    with pytest.raises(Conflict, match="withdrawn; it no longer takes co-sponsors"):
        join(d["nia"], d["amendment"], "amendment")
    services.round_start_voting(round_id=d["round"].id, by=people["moderator"])
    with pytest.raises(Conflict, match="only while their round is open"):
        join(d["nia"], d["proposal"])
    with pytest.raises(Conflict, match="only while their round is open"):
        services.cosponsorship_withdraw(kind="clause", item_id=d["proposal"].id, by=d["kofi"])


def test_the_proponent_is_whoever_verified_speaks_for_the_proposing_delegation_now(delegations):
    """The proposer who left Brazil decides nothing for it any more, nor does one whose membership
    is pending again; her verified colleague still does."""
    from accounts.models import Membership

    d = delegations
    services.cosponsorship_set(kind="clause", item_id=d["proposal"].id, by=d["ana"], cosponsorship="on_acceptance")
    asked = join(d["kofi"], d["proposal"])
    Membership.objects.filter(user=d["ana"]).update(status=Membership.Status.PENDING)
    with pytest.raises(NotAllowed, match="proposing delegation"):
        services.cosponsorship_accept(cosponsorship_id=asked.id, by=d["ana"])
    Membership.objects.filter(user=d["ana"]).delete()
    with pytest.raises(NotAllowed, match="proposing delegation"):
        services.cosponsorship_decline(cosponsorship_id=asked.id, by=d["ana"])
    with pytest.raises(NotAllowed, match="proposing delegation"):
        services.cosponsorship_set(kind="clause", item_id=d["proposal"].id, by=d["ana"], cosponsorship="open")
    assert services.cosponsorship_accept(cosponsorship_id=asked.id, by=d["bea"]).status == "joined"


def test_a_delegation_never_co_sponsors_its_own_proposal_even_when_the_proposer_only_claimed_it(delegations):
    from accounts.models import Membership

    d = delegations
    Membership.objects.filter(user=d["ana"]).update(status=Membership.Status.PENDING)
    amendment = services.amendment_submit(
        clause_id=d["proposal"].id, by=d["ana"], kind="modify", text="States should name two."
    )
    with pytest.raises(NotAllowed, match="cannot co-sponsor its own"):
        join(d["bea"], amendment, "amendment")


def test_a_moderator_co_sponsors_for_their_delegation_only_when_they_say_so_and_an_administrator_never(
    delegations, people, admin_user
):
    from accounts.selectors import speaking_for_now
    from tests.accounts.factories import MembershipFactory, OrganizationFactory

    d = delegations
    moderator = people["moderator"]  # a verified member of a delegation other than Brazil
    with pytest.raises(NotAllowed, match="the Chair co-sponsors nothing"):
        join(moderator, d["proposal"])
    row = services.cosponsorship_join(kind="clause", item_id=d["proposal"].id, by=moderator, speaking_as="delegation")
    assert (
        row.organization
        == speaking_for_now(moderator).organization
        != d["proposal"].proposer.memberships.get().organization
    )
    MembershipFactory(user=admin_user, organization=OrganizationFactory(name="Peru"), status="verified")
    with pytest.raises(NotAllowed):
        join(admin_user, d["proposal"])


def test_a_withdrawn_proposal_takes_no_decision_and_no_withdrawal(delegations):
    d = delegations
    services.cosponsorship_set(kind="amendment", item_id=d["amendment"].id, by=d["ana"], cosponsorship="on_acceptance")
    asked = join(d["kofi"], d["amendment"], "amendment")
    services.amendment_withdraw(amendment_id=d["amendment"].id, by=d["ana"])
    with pytest.raises(Conflict, match="no longer takes co-sponsors"):
        services.cosponsorship_accept(cosponsorship_id=asked.id, by=d["bea"])
    with pytest.raises(Conflict, match="no longer takes co-sponsors"):
        services.cosponsorship_withdraw(kind="amendment", item_id=d["amendment"].id, by=d["kofi"])


def test_a_chair_proposal_takes_none(delegations, draft, clause, people):
    chairs = services.clause_create(
        draft=draft, section_id=clause.section_id, title="Compromise", text="Text.", by=people["moderator"]
    )
    assert chairs.proposed_as_chair
    with pytest.raises(Conflict, match="Chair's proposal"):
        join(delegations["kofi"], chairs)


def _both_join(d):
    join(d["kofi"], d["proposal"])
    join(d["nia"], d["proposal"])
    join(d["kofi"], d["amendment"], "amendment")


def test_pages_say_who_co_sponsors_and_offer_the_buttons(delegations, client):
    d = delegations
    _both_join(d)
    client.force_login(d["ana"])
    page = client.get(f"/clauses/{d['proposal'].id}/").content.decode()
    assert "proposed by ana" in page and ", co-sponsored by Kenya (Government), Open Net (Civil society)" in page
    assert "How this proposal takes co-sponsors" in page and "Co-sponsor for" not in page
    client.force_login(d["kofi"])
    page = client.get(f"/amendments/{d['amendment'].id}/").content.decode()
    assert ", co-sponsored by Kenya (Government)" in page and "Withdraw co-sponsorship" in page
    client.force_login(d["nia"])
    page = client.get(f"/amendments/{d['amendment'].id}/").content.decode()
    assert "Co-sponsor for Open Net" in page
    answer = client.post(f"/cosponsor/amendment/{d['amendment'].id}/")
    assert answer.status_code == 302 and answer.url == f"/amendments/{d['amendment'].id}/"
    assert Cosponsorship.objects.filter(amendment=d["amendment"], organization__name="Open Net").exists()
    # A refusal for the moment is said on the page; one for who they are takes the error path (403).
    assert client.post(f"/cosponsor/amendment/{d['amendment'].id}/", follow=True).status_code == 200
    client.force_login(d["bea"])
    assert client.post(f"/cosponsor/clause/{d['proposal'].id}/").status_code == 403


def test_the_proponent_decides_and_sets_on_the_page(delegations, client):
    d = delegations
    client.force_login(d["ana"])
    client.post(f"/cosponsor/clause/{d['proposal'].id}/setting/", {"cosponsorship": "on_acceptance"})
    asked = join(d["kofi"], d["proposal"])
    page = client.get(f"/clauses/{d['proposal'].id}/").content.decode()
    assert "Asking to co-sponsor" in page and "Accept Kenya (Government) as a co-sponsor" in page
    assert client.post(f"/cosponsorships/{asked.id}/accept/").status_code == 302
    asked.refresh_from_db()
    assert asked.status == Cosponsorship.Status.JOINED


def test_ballot_results_and_compilation_say_proposed_by_and_co_sponsored_by(delegations, client, people, draft):
    d = delegations
    _both_join(d)
    compiled = build_compilation(Round.objects.get(pk=d["round"].pk))
    clause = next(c for s in compiled.sections for c in s.clauses if c.clause_id == d["proposal"].id)
    assert clause.attribution == (
        "Proposed by Brazil (Government), co-sponsored by Kenya (Government), Open Net (Civil society)"
    )
    amendment = next(a for s in compiled.sections for c in s.clauses for a in c.amendments)
    assert amendment.attribution.startswith("Proposed by Brazil (Government), co-sponsored by Kenya (Government)")
    for extension in ("md", "html", "docx"):
        body = render_compilation(compiled, extension)
        if extension == "docx":
            body = zipfile.ZipFile(io.BytesIO(body)).read("word/document.xml")
        text = body.decode()
        assert "co-sponsored by Kenya (Government)" in text, extension

    voters = make_voters(draft, government=1)
    services.round_start_voting(round_id=d["round"].id, by=people["moderator"])
    client.force_login(d["kofi"])
    ballot = client.get(f"/rounds/{d['round'].id}/ballot/").content.decode()
    assert "co-sponsored by Kenya (Government), Open Net (Civil society)" in ballot
    cast(voters, d["proposal"], {"government": "y"})
    services.round_close(round_id=d["round"].id, by=people["moderator"])
    results = client.get(f"/rounds/{d['round'].id}/results/").content.decode()
    assert ", co-sponsored by Kenya (Government), Open Net (Civil society)" in results


def test_under_the_chatham_house_rule_only_groups_are_told(delegations, client, people):
    d = delegations
    Round.objects.filter(pk=d["round"].pk).update(chatham_house=True)
    _both_join(d)
    names = ("Kenya", "Open Net", "Brazil", "kofi", "nia")
    compiled = build_compilation(Round.objects.get(pk=d["round"].pk))
    paper = json.dumps(to_data(compiled), cls=DjangoJSONEncoder)
    assert "co-sponsored by 2 delegations (Government, Civil society)" in render_compilation(compiled, "md").decode()
    client.force_login(people["observer"])
    pages = [
        client.get(f"/clauses/{d['proposal'].id}/").content.decode(),
        client.get(f"/amendments/{d['amendment'].id}/").content.decode(),
        client.get(f"/api/v1/clauses/{d['proposal'].id}/cosponsors/").content.decode(),
        client.get(f"/api/v1/amendments/{d['amendment'].id}/").content.decode(),
        paper,
    ]
    services.round_start_voting(round_id=d["round"].id, by=people["moderator"])
    pages.append(client.get(f"/rounds/{d['round'].id}/ballot/").content.decode())
    for text in pages:
        assert not [n for n in names if n in text], text[:300]
    assert "co-sponsored by 2 delegations (Government, Civil society)" in pages[0]
    assert "co-sponsored by 1 delegation (Government)" in pages[-1]


def test_the_admin_lists_co_sponsorships_as_the_naming_rule_tells_them(delegations, client, admin_user):
    d = delegations
    join(d["kofi"], d["proposal"])
    join(d["nia"], d["amendment"], "amendment")
    client.force_login(admin_user)
    listed = client.get("/admin/drafting/cosponsorship/").content.decode()
    assert "Kenya (Government)" in listed and f"Clause {d['proposal'].ref}" in listed
    d["round"].chatham_house = True
    d["round"].save()
    listed = client.get("/admin/drafting/cosponsorship/").content.decode()
    assert "Kenya" not in listed and "Open Net" not in listed and "1 delegation (Government)" in listed
