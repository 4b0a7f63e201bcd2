"""Each list and detail endpoint and page runs the same, pinned number of queries at any size."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from drafting import services
from drafting.models import Cosponsorship, DraftVisit, JoinRequest
from tests.accounts.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.conftest import client_for
from tests.drafting.factories import (
    AmendmentFactory,
    ClauseFactory,
    CommentFactory,
    DraftFactory,
    DraftMembershipFactory,
    RoundFactory,
    SectionFactory,
    VoteFactory,
)
from tests.notifications.factories import EventFactory, NotificationFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(draft, clause, people):
    """A voting round with a proposed clause, an amendment, a comment and votes on both."""
    services.clause_update(clause_id=clause.id, version=1, by=people["moderator"], text="second version")
    round_ = RoundFactory(draft=draft, phase="voting", hide_tallies_until_close=False)
    proposed = ClauseFactory(section=clause.section, status="proposed", round=round_, proposer=people["participant"])
    amendment = AmendmentFactory(clause=clause, round=round_, author=people["participant"])
    CommentFactory(clause=clause)
    CommentFactory(amendment=amendment)
    cosponsor(people, clause=proposed)
    cosponsor(people, amendment=amendment)
    NotificationFactory(recipient=people["participant"], event=EventFactory(draft=draft), draft=draft)
    SubscriptionFactory(user=people["participant"], draft=draft)
    JoinRequest.objects.create(draft=draft, user=UserFactory())
    # A reader in the middle of a visit: views within a minute of the last one write nothing
    # (``test_a_view_that_starts_a_new_visit_writes_once`` counts the view that does).
    now = timezone.now()
    DraftVisit.objects.create(
        user=people["participant"], draft=draft, seen_at=now - timedelta(days=1), last_viewed_at=now
    )
    return {"round": round_, "proposed": proposed, "amendment": amendment}


def cosponsor(people, **proposal):
    """A delegation co-sponsoring the proposal, and one asking to."""
    for status in ("joined", "requested"):
        Cosponsorship.objects.create(
            **proposal, organization=OrganizationFactory(), status=status, requested_by=people["participant"]
        )


def _grow(draft, clause, scene, people, size):
    """``size`` more of everything: sections of clauses with versions, amendments, threads, votes, drafts."""
    moderator = people["moderator"]
    for s in range(size):
        section = SectionFactory(draft=draft, position=s + 10)
        for _ in range(size):
            extra = ClauseFactory(section=section, proposer=moderator)
            for v in range(size):
                services.clause_update(clause_id=extra.id, version=extra.version + v, by=moderator, text=f"v{v}")
    for _ in range(size):
        amendment = AmendmentFactory(clause=clause, round=scene["round"])
        for target in ({"clause": clause}, {"amendment": scene["amendment"]}, {"clause": scene["proposed"]}):
            root = CommentFactory(**target)
            CommentFactory(**target, parent=root, hidden=True, hidden_reason="Off topic")
            CommentFactory(**target, parent=root, author=people["participant"])
        cosponsor(people, clause=scene["proposed"])
        cosponsor(people, amendment=scene["amendment"])
        cosponsor(people, amendment=amendment)
        voter = MembershipFactory().user
        for item in ({"clause": scene["proposed"]}, {"amendment": scene["amendment"]}, {"amendment": amendment}):
            VoteFactory(round=scene["round"], voter=voter, **item)
        DraftFactory()
        JoinRequest.objects.create(draft=draft, user=UserFactory())
        OrganizationFactory()
        MembershipFactory(user=people["participant"])
        event = EventFactory(draft=draft)
        NotificationFactory(recipient=people["participant"], event=event, draft=draft)
        SubscriptionFactory(user=people["participant"], clause=ClauseFactory(section=clause.section))


# (name, url template, who, pinned query count). A signed-in page reads its session from the cache
# and its person, with whether they moderate (accounts/backends.py, for the second factor of
# accounts/twofactor.py), in one query; a moderator's first page in half a minute also records the
# session's last activity for the idle time-out. Wherever a person is named, what they spoke for
# then comes from the membership history in one query for the whole page (``speaking_for_at``), and
# whether the act fell in a Chatham House round from the draft's rounds, read once (``drafting.naming``):
# one query more on each page or answer that names someone for an act; an amendment's author, with
# the organization it recorded, is a claim until that membership is verified (one query a page).
# The hot clause reads (``drafting.selectors.reading``) read each proposer's with the clauses.
ENDPOINTS = [
    ("draft list API", "/api/v1/drafts/", "participant", 2),
    # The reader's visit, for "changes since your last visit", comes with the draft's own statement.
    ("draft detail API", "/api/v1/drafts/{slug}/", "participant", 6),
    ("clause list API", "/api/v1/drafts/{slug}/clauses/", "participant", 5),
    ("clause detail API", "/api/v1/clauses/{clause}/", "participant", 2),
    # Rows with no account behind them (the factory's, an import's) are held to the Chatham House
    # rule too: the draft's rounds, read once.
    ("clause history API", "/api/v1/clauses/{clause}/history/", "participant", 7),
    ("clause diff API", "/api/v1/clauses/{clause}/diff/?from=1&to=2", "participant", 4),
    ("members API", "/api/v1/drafts/{slug}/members/", "participant", 4),
    ("rounds API", "/api/v1/drafts/{slug}/rounds/", "participant", 4),
    ("amendment list API", "/api/v1/clauses/{clause}/amendments/", "participant", 8),
    # +2: its co-sponsors (one query), named by their round's rule: the draft's rounds, read once,
    # which naming the reader's own amendment did not need.
    ("amendment detail API", "/api/v1/amendments/{amendment}/", "participant", 8),
    ("clause comments API", "/api/v1/comments/?clause={clause}", "participant", 6),
    ("amendment comments API", "/api/v1/comments/?amendment={amendment}", "participant", 6),
    ("me API", "/api/v1/me/", "participant", 2),
    ("notifications API", "/api/v1/notifications/", "participant", 3),
    ("subscriptions API", "/api/v1/subscriptions/", "participant", 2),
    # Reading the page marks what it shows read: one UPDATE, however many of them were unread, and
    # one NOTIFY telling the person's other pages (the count in their header).
    ("notifications page", "/notifications/", "participant", 7),
    ("organizations API", "/api/v1/organizations/", "participant", 2),
    ("home page", "/", "participant", 4),
    # The text is rendered here (two queries); a reader after them gets it from the cache (two fewer).
    # +1: the banner counts the clauses changed since the reader's last visit (one query on an
    # index). The visit record comes with the draft's own statement, and a view within a minute of
    # the last one writes nothing (the first view of a new visit adds one UPDATE).
    ("draft page", "/drafts/{slug}/", "participant", 8),
    # The clause and amendment pages list the draft's rounds for the comment filter (one query).
    # A moderator's comment form asks whom they speak for besides the Chair (their delegation: one query).
    # Each page of a clause lists its translations' standing (one query, whatever the languages).
    ("clause page", "/clauses/{clause}/", "moderator", 20),
    # On the ballot, a participant's page asks the vote rule whether they may vote (their verified
    # membership in an eligible group: one query), so it offers buttons only to those who can.
    # A delegation's proposal shows its co-sponsors and what the reader's delegation may do: the
    # co-sponsorships (one query), whom the reader speaks for (one) and whom the proposal was made
    # for (one; a clause's round one more).
    ("proposed clause page", "/clauses/{proposed}/", "participant", 21),
    ("amendment page", "/amendments/{amendment}/", "participant", 15),
    # The propose form: the draft's sections, and its paragraphs of the text that a new one may be
    # placed after, each read once whatever their number.
    ("propose page", "/drafts/{slug}/propose/", "participant", 7),
    # What fills the clause cards of the draft page: the draft, the clauses with their counts, the
    # reader's votes in the voting round.
    ("clause overview page", "/drafts/{slug}/overview/", "participant", 5),
    # ... and whom each asker spoke for when asking (one query for the page).
    ("join requests API", "/api/v1/drafts/{slug}/join-requests/", "moderator", 5),
    ("rounds page", "/drafts/{slug}/rounds/", "moderator", 5),
    # The ballot: the round and the reader's role, the sections, the items (clauses and amendments),
    # the reader's votes, their voting membership and the tallies; a moderator's page has no voting
    # membership to look up but the participation per group (two queries), and whom they speak for,
    # which the vote rule tells those it does not let vote (one query).
    # +1: the items' co-sponsors, one query for the whole ballot.
    ("ballot API", "/api/v1/rounds/{round}/ballot/", "participant", 11),
    ("ballot page", "/rounds/{round}/ballot/", "participant", 13),
    ("ballot page (moderator)", "/rounds/{round}/ballot/", "moderator", 15),
    ("amendments side by side page", "/clauses/{clause}/amendments/compare/", "participant", 12),
    ("profile page", "/accounts/profile/", "participant", 4),
]


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def _counts(endpoints, people, ids) -> dict[str, int]:
    clients = {}
    for who in {e[2] for e in endpoints}:
        clients[(who, True)] = client_for(people[who])
        clients[(who, False)] = client_for(people[who])
        clients[(who, False)].force_login(people[who])
    return {name: _count(clients[(who, "API" in name)], url.format(**ids)) for name, url, who, _ in endpoints}


def _mismatches(endpoints, small, large) -> list[str]:
    return [
        f"{name}: {small[name]} queries small, {large[name]} large; pinned {pinned}"
        for name, _, _, pinned in endpoints
        if (small[name], large[name]) != (pinned, pinned)
    ]


@pytest.mark.parametrize("name", ["draft detail API", "draft page"])
def test_a_view_that_starts_a_new_visit_writes_once(draft, clause, people, scene, name):
    """Back after two hours, the reader's first view notes the new visit: one UPDATE more than a
    view within a minute of the last one, which writes nothing (and reads nothing more)."""
    _, url, who, _ = next(e for e in ENDPOINTS if e[0] == name)
    client = client_for(people[who])
    if "API" not in name:
        client.force_login(people[who])
    url = url.format(slug=draft.slug)
    _count(client, url)  # the session and the rendered text, cached from here on
    within_a_minute = _count(client, url)
    visit = DraftVisit.objects.filter(user=people[who], draft=draft)
    visit.update(last_viewed_at=timezone.now() - timedelta(hours=2))
    assert _count(client, url) == within_a_minute + 1
    assert visit.get().last_viewed_at > timezone.now() - timedelta(minutes=1)
    assert _count(client, url) == within_a_minute


def test_query_count_is_pinned_at_two_sizes(draft, clause, people, scene):
    """Every endpoint and page at one size, then again after everything grew: the same, pinned count."""
    ids = {
        "slug": draft.slug,
        "clause": clause.id,
        "proposed": scene["proposed"].id,
        "amendment": scene["amendment"].id,
        "round": scene["round"].id,
    }
    small = _counts(ENDPOINTS, people, ids)
    _grow(draft, clause, scene, people, 4)
    large = _counts(ENDPOINTS, people, ids)
    wrong = _mismatches(ENDPOINTS, small, large)
    assert not wrong, "\n".join(wrong)


# Results name each proposer as of their proposal (one query) and each item's co-sponsors (one);
# the page names each commenter of a disposition as of their comment too (one more).
CLOSED_ENDPOINTS = [
    ("results API", "/api/v1/rounds/{round}/results/", "participant", 5),
    ("dispositions API", "/api/v1/rounds/{round}/dispositions/", "participant", 5),
    ("snapshots API", "/api/v1/drafts/{slug}/snapshots/", "participant", 4),
    ("snapshot detail API", "/api/v1/snapshots/{snapshot}/", "participant", 4),
    ("compare API", "/api/v1/drafts/{slug}/compare/?from={first}&to={snapshot}", "participant", 6),
    ("results page", "/rounds/{round}/results/", "participant", 10),
    ("console page", "/rounds/{round}/console/", "moderator", 14),  # +1: whom each queued comment's author spoke for
    ("snapshots page", "/drafts/{slug}/snapshots/", "participant", 6),
    ("snapshot page", "/snapshots/{snapshot}/", "participant", 6),
    ("compare page", "/drafts/{slug}/compare/?from={first}&to={snapshot}", "participant", 7),
]


def _closed_round(draft, clause, people, size):
    """A round closed over ``size`` proposals and amendments, with votes from two groups and dispositions."""
    moderator = people["moderator"]
    first = services.snapshot_create(draft=draft, label=f"Before {size}", by=moderator)
    round_ = services.round_create(draft=draft, by=moderator, title=f"Reading {size}")
    services.round_open(round_id=round_.id, by=moderator)
    items = []
    for i in range(size):
        proposal = services.clause_create(
            draft=draft, section_id=clause.section_id, title=f"P{i}", text=f"Proposal {i}.", by=people["participant"]
        )
        amendment = services.amendment_submit(
            clause_id=proposal.id, by=people["participant"], kind="modify", text=f"Proposal {i}, amended."
        )
        cosponsor(people, clause=proposal)
        cosponsor(people, amendment=amendment)
        remark = services.comment_post(by=people["observer"], clause_id=proposal.id, body=f"Remark {i}")
        services.comment_dispose(comment_id=remark.id, by=moderator, disposition="noted")
        items += [("clause_id", proposal.id), ("amendment_id", amendment.id)]
    services.round_start_voting(round_id=round_.id, by=moderator)
    for group in ("government", "industry"):
        for _ in range(size):
            voter = MembershipFactory(organization__stakeholder_group=group).user
            DraftMembershipFactory(draft=draft, user=voter, role="participant")
            for kind, item_id in items:
                services.vote_cast(by=voter, choice="yes", **{kind: item_id})
    services.round_close(round_id=round_.id, by=moderator)
    return {"round": round_.id, "snapshot": round_.snapshot.id, "first": first.id, "slug": draft.slug}


def test_closed_round_query_counts_are_pinned_at_two_sizes(draft, clause, people):
    small = _counts(CLOSED_ENDPOINTS, people, _closed_round(draft, clause, people, 1))
    large = _counts(CLOSED_ENDPOINTS, people, _closed_round(draft, clause, people, 5))
    wrong = _mismatches(CLOSED_ENDPOINTS, small, large)
    assert not wrong, "\n".join(wrong)
