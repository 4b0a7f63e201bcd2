"""Smaller defects seen in the browser, each pinned with the inputs it showed on and others like them."""

from datetime import timedelta

import pytest
from django.utils import timezone
from lxml import html as lxml_html

from accounts import services as account_services
from accounts.models import Membership, StakeholderGroup
from codeofconduct.timezones import display
from drafting import services
from drafting.diff import visible_text
from drafting.forms import DispositionForm, suggested_round_title
from drafting.markdown import render_markdown
from drafting.models import CommentDisposition, Outcome, Round
from drafting.templatetags.labels import round_schedule
from notifications.models import Event
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.conftest import client_for
from tests.drafting.factories import DraftMembershipFactory, cast, make_voters, propose

pytestmark = pytest.mark.django_db

# Keys kept in the database that a page must never print: people read the labels.
RAW_KEYS = [v for v in (*StakeholderGroup.values, *Outcome.values) if "_" in v] + ["noquorum", "civilsociety"]


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml_html.fromstring(response.content.decode())


def seen(node) -> str:
    """The text a reader sees in a node, whitespace folded."""
    return " ".join(node.text_content().split())


def body_text(tree) -> str:
    return seen(tree.find(".//main"))


# 2. The clause page's "Compare versions" shows the words, never Markdown's markup -------------------


@pytest.mark.parametrize(
    ("before", "after", "inserted"),
    [
        ("States **should** share information.", "States **must** share information.", "must"),
        ("States should _share_ information.", "States should _promptly share_ information.", "promptly"),
        ("See [the report](https://example.org/r).", "See [the final report](https://example.org/r).", "final"),
        ("Use `TLS` everywhere.", "Use `TLS 1.3` everywhere.", "1.3"),
        ("- one\n- two", "- one\n- **two and three**", "and three"),
        ("First.\n\n## Heading\n\nLast __words__.", "First.\n\n## Heading\n\nLast __new words__.", "new"),
    ],
)
def test_clause_compare_shows_visible_words(client, clause, people, before, after, inserted):
    moderator = people["moderator"]
    for text in (before, after):
        current = type(clause).objects.get(pk=clause.pk)
        services.clause_update(
            clause_id=clause.id, version=current.version, by=moderator, title=clause.title, text=text
        )
    last = type(clause).objects.get(pk=clause.pk).version
    tree = page(client, f"/clauses/{clause.id}/?from={last - 1}&to={last}")
    redline = tree.find('.//*[@data-testid="redline"]')
    shown = seen(redline)
    for markup in ("**", "__", "](", "`", "## ", "- "):
        assert markup not in shown, (markup, shown)
    assert inserted in " ".join(seen(ins) for ins in redline.iter("ins"))
    assert shown.replace(" ", "").startswith(visible_text(render_markdown(before)).split()[0])


def test_visible_text_keeps_paragraphs_apart_and_joins_soft_breaks():
    text = visible_text(render_markdown("One **two**\nthree.\n\n- a\n- b\n\nLine  \nbreak &amp; more"))
    assert text == "One two three.\n\na\nb\n\nLine\nbreak & more"


# 3. A round's schedule in the words of its phase -------------------------------------------------


def _round(draft, people, phase):
    moderator = people["moderator"]
    now = timezone.now()
    round_ = services.round_create(
        draft=draft,
        by=moderator,
        title="First reading",
        opens_at=now + timedelta(days=1),
        voting_opens_at=now + timedelta(days=5),
        closes_at=now + timedelta(days=7),
    )
    moves = [services.round_open, services.round_start_voting, services.round_close]
    for move in moves[: ["scheduled", "open", "voting", "closed"].index(phase)]:
        move(round_id=round_.id, by=moderator)
    return Round.objects.get(pk=round_.pk)


@pytest.mark.parametrize(
    ("phase", "says", "never"),
    [
        ("scheduled", ["opens "], ["closes", "voting opens", "closed on"]),
        ("open", ["voting opens ", "closes "], ["closed on"]),
        ("voting", ["closes "], ["voting opens", "closed on", "opens "]),
        ("closed", ["closed on "], ["closes", "opens"]),
    ],
)
def test_schedule_reads_right_in_each_phase(client, draft, clause, people, phase, says, never):
    round_ = _round(draft, people, phase)
    wording = round_schedule(round_)
    for words in says:
        assert words in wording
    for words in never:
        assert words not in wording
    if phase == "closed":
        assert display(round_.closed_at) in wording  # "27 Nov 2026, 14:05 UTC", in the reader's zone
    pages = [f"/drafts/{draft.slug}/rounds/"]
    if phase != "scheduled":  # the draft page shows the round once it has opened
        pages.append(f"/drafts/{draft.slug}/")
    client.force_login(people["moderator"])
    pages.append(f"/rounds/{round_.id}/console/")
    for url in pages:
        node = page(client, url).find('.//*[@data-testid="round-schedule"]')
        assert node is not None, url
        shown = seen(node).lower()
        for words in says:
            assert words in shown, (url, shown)
        for words in never:
            assert words not in shown, (url, shown)


# 4. Results: each outcome once, and the names people read -----------------------------------------


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


def test_a_refused_vote_names_the_groups_that_vote(draft, clause, people):
    moderator = people["moderator"]
    round_ = services.round_create(draft=draft, by=moderator, title="R", eligible_groups=["civil_society", "academia"])
    services.round_open(round_id=round_.id, by=moderator)
    proposal = propose(draft, clause, people)
    voters = make_voters(draft, industry=1)
    services.round_start_voting(round_id=round_.id, by=moderator)
    response = client_for(voters["industry"][0]).put(
        f"/api/v1/clauses/{proposal.id}/vote/", {"choice": "yes"}, format="json"
    )
    assert response.status_code == 403
    message = str(response.json())
    assert "Civil society" in message and "Academia" in message and "civil_society" not in message


# 5. Round form errors: human words, every one, each on its field ----------------------------------

SCHEDULES = [
    ({"opens_at": "2026-12-05T10:00", "voting_opens_at": "2026-12-01T10:00"}, {"voting_opens_at"}),
    ({"voting_opens_at": "2026-12-05T10:00", "closes_at": "2026-12-04T10:00"}, {"closes_at"}),
    ({"opens_at": "2026-12-05T10:00", "closes_at": "2026-12-05T10:00"}, {"closes_at"}),
    (
        {"opens_at": "2026-12-05T10:00", "voting_opens_at": "2026-12-04T10:00", "closes_at": "2026-12-03T10:00"},
        {"voting_opens_at", "closes_at"},
    ),
]
HUMAN = {
    "voting_opens_at": "Voting must open after the round opens.",
    "closes_at": ("The round must close after voting opens.", "The round must close after it opens."),
}


@pytest.mark.parametrize(("times", "wrong"), SCHEDULES)
def test_round_form_shows_every_schedule_error_on_its_field(client, draft, people, times, wrong):
    client.force_login(people["moderator"])
    data = {"title": "Kept", "voting_rule": "consensus", "quorum": 0, "eligible_groups": ["government"], **times}
    response = client.post(f"/drafts/{draft.slug}/rounds/", data)
    assert response.status_code == 400
    tree = lxml_html.fromstring(response.content.decode())
    form = tree.get_element_by_id("round-form")
    for field in ("opens_at", "voting_opens_at", "closes_at"):
        box = form.find(f'.//*[@name="{field}"]/..')
        errors = box.find('.//*[@class="errors"]')
        if field in wrong:
            assert errors is not None, field
            assert seen(errors) in (HUMAN[field] if isinstance(HUMAN[field], tuple) else (HUMAN[field],))
        else:
            assert errors is None, field
    text = body_text(tree)
    assert "_at" not in text and "must come after" not in text
    assert form.find('.//input[@name="title"]').get("value") == "Kept"
    assert not Round.objects.exists()


@pytest.mark.parametrize(("times", "wrong"), SCHEDULES)
def test_round_api_keys_every_schedule_error_by_field(draft, people, times, wrong):
    response = client_for(people["moderator"]).post(
        f"/api/v1/drafts/{draft.slug}/rounds/", {"title": "R", **{k: v + "Z" for k, v in times.items()}}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert wrong <= set(body), body
    for field in wrong:
        expected = HUMAN[field] if isinstance(HUMAN[field], tuple) else (HUMAN[field],)
        assert body[field][0] in expected


# 6. A round's moderation queue holds its own comments ---------------------------------------------


def test_moderation_queue_of_each_round_lists_only_its_comments(client, draft, clause, people):
    moderator = people["moderator"]
    before = services.comment_post(by=people["observer"], clause_id=clause.id, body="Before any round.")
    first = services.round_create(draft=draft, by=moderator, title="First reading")
    services.round_open(round_id=first.id, by=moderator)
    during_first = services.comment_post(by=people["observer"], clause_id=clause.id, body="During the first.")
    services.round_start_voting(round_id=first.id, by=moderator)
    services.round_close(round_id=first.id, by=moderator)
    between = services.comment_post(by=people["observer"], clause_id=clause.id, body="Between the rounds.")
    second = services.round_create(draft=draft, by=moderator, title="Second reading")
    services.round_open(round_id=second.id, by=moderator)
    during_second = services.comment_post(by=people["observer"], clause_id=clause.id, body="During the second.")
    third = services.round_create(draft=draft, by=moderator, title="Third reading")  # scheduled, nothing yet

    client.force_login(moderator)

    def queue(round_):
        tree = page(client, f"/rounds/{round_.id}/console/")
        return " ".join(seen(row) for row in tree.findall('.//*[@data-testid="queue-row"]'))

    first_queue, second_queue, third_queue = queue(first), queue(second), queue(third)
    assert before.body in first_queue and during_first.body in first_queue
    assert between.body not in first_queue and during_second.body not in first_queue
    assert between.body in second_queue and during_second.body in second_queue
    assert before.body not in second_queue and during_first.body not in second_queue
    # The scheduled round after the open one has no comments of its own yet... nor the open one's.
    assert during_first.body not in third_queue and before.body not in third_queue

    # Disposed of while the second round runs, each comment stays with the round it was made in.
    for comment, round_ in ((before, first), (during_first, first), (between, second), (during_second, second)):
        decided = services.comment_dispose(comment_id=comment.id, by=moderator, disposition="noted")
        assert decided.round_id == round_.id, comment.body
    assert during_first.body in queue(first) and during_first.body not in queue(second)


# 7. What a newly verified person is told they can do ----------------------------------------------


@pytest.mark.parametrize(
    ("role", "says", "never"),
    [
        ("participant", ["vote"], ["observer"]),
        ("observer", ["read and comment"], ["can vote", "can now vote"]),
        (None, ["ask to join"], ["vote in", "can now vote"]),
    ],
)
def test_verification_notice_says_what_the_person_can_do(draft, admin_user, role, says, never):
    user = UserFactory()
    membership = MembershipFactory(
        user=user, status=Membership.Status.PENDING, organization__stakeholder_group="academia"
    )
    if role:
        DraftMembershipFactory(draft=draft, user=user, role=role)
    account_services.membership_verify(organization_id=membership.organization_id, user_id=user.id, by=admin_user)
    event = Event.objects.get(kind="membership_verified")
    assert event.recipient_ids == [user.id]
    message = event.message
    assert "academia" in message
    for words in says:
        assert words in message, message
    for words in never:
        assert words not in message, message
    if role:
        assert draft.title in message


# 8. A disposition is chosen, never preset ---------------------------------------------------------


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


# 9. The new-round form suggests a title no round has ----------------------------------------------


@pytest.mark.parametrize(
    "titles",
    [
        [],
        ["First reading"],
        ["First reading", "Second reading"],
        ["Second reading"],
        ["Second reading", "First reading"],
        [f"{n} reading" for n in ("First", "Second", "Third", "Fourth", "Fifth", "Sixth")],
        [f"Reading {n}" for n in range(1, 14)] + ["Eleventh"],
    ],
)
def test_new_round_form_suggests_a_fresh_title(client, draft, people, titles):
    moderator = people["moderator"]
    for title in titles:
        Round.objects.create(draft=draft, title=title, phase="closed", created_by=moderator)
    suggestion = suggested_round_title(titles)
    assert suggestion and suggestion.casefold() not in {t.casefold() for t in titles}
    client.force_login(moderator)
    tree = page(client, f"/drafts/{draft.slug}/rounds/")
    shown = tree.get_element_by_id("round-form").find('.//input[@name="title"]').get("value") or ""
    assert shown not in titles
    assert shown == suggestion
    if titles == ["First reading"]:
        assert shown == "Second reading"
