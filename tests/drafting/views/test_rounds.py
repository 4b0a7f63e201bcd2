"""The rounds page and the moderator console: schedules in the words of each phase, the new-round
form's errors and suggested title, and each round's moderation queue."""

from datetime import timedelta

import pytest
from django.utils import timezone
from lxml import html as lxml_html

from codeofconduct.timezones import display
from drafting import services
from drafting.forms import suggested_round_title
from drafting.models import Round
from drafting.templatetags.labels import round_schedule
from tests.drafting.conftest import HUMAN, SCHEDULES
from tests.drafting.views.conftest import body_text, page, seen

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
    assert (
        live.lstrip().startswith('<div id="participation"') and 'hx-trigger="every 10s"' in live
    )  # live:votes where pages are live
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


def _second_reading(draft, people, **settings):
    from drafting import services

    return services.round_create(draft=draft, by=people["moderator"], title="Second reading", **settings)


def test_open_is_shown_disabled_with_the_reason_while_another_round_is_open(client, draft, people, round_):
    from drafting import services

    second = _second_reading(draft, people)
    reason = (
        "Another round of this draft, “First reading”, is open or voting: close it before opening “Second reading”."
    )
    client.force_login(people["moderator"])
    listed = client.get(f"/drafts/{draft.slug}/rounds/").content.decode()
    assert f"/rounds/{second.id}/open/" not in listed
    assert f'<button type="button" disabled aria-describedby="move-refused-{second.id}">Open…</button>' in listed
    assert f'id="move-refused-{second.id}" data-testid="move-refused">{reason}</p>' in listed
    console = client.get(f"/rounds/{second.id}/console/").content.decode()
    assert f"/rounds/{second.id}/open/" not in console and reason in console
    assert 'disabled aria-describedby="move-refused"' in console
    asked = client.get(f"/rounds/{second.id}/open/")
    assert asked.status_code == 409 and reason in asked.content.decode()
    posted = client.post(f"/rounds/{second.id}/open/", follow=True).content.decode()
    assert reason in posted and Round.objects.get(pk=second.pk).phase == "scheduled"

    services.round_start_voting(round_id=round_.id, by=people["moderator"])
    assert reason in client.get(f"/drafts/{draft.slug}/rounds/").content.decode()  # voting is active too
    services.round_close(round_id=round_.id, by=people["moderator"])
    listed = client.get(f"/drafts/{draft.slug}/rounds/").content.decode()
    assert f'href="/rounds/{second.id}/open/?next=/drafts/{draft.slug}/rounds/"' in listed
    assert "move-refused" not in listed


def test_opening_a_round_asks_first_and_cancel_changes_nothing(
    client, draft, people, django_capture_on_commit_callbacks
):
    from notifications import services as notifications
    from notifications.models import Event, Notification

    second = _second_reading(
        draft, people, voting_rule="consensus", quorum=2, eligible_groups=["government", "academia"]
    )
    notifications.follow(user=people["non_member"], draft=draft)  # a reader who follows the draft
    client.force_login(people["moderator"])
    listed = client.get(f"/drafts/{draft.slug}/rounds/").content.decode()
    assert f'href="/rounds/{second.id}/open/?next=/drafts/{draft.slug}/rounds/"' in listed
    assert f'action="/rounds/{second.id}/open/"' not in listed  # no button that opens without asking
    console = client.get(f"/rounds/{second.id}/console/").content.decode()
    assert f'href="/rounds/{second.id}/open/" class="button" id="move-link">Open now…' in console

    page = client.get(f"/rounds/{second.id}/open/?next=/drafts/{draft.slug}/rounds/")
    html = page.content.decode()
    assert page.status_code == 200 and "Open “Second reading”?" in html
    assert "Proposals open: participants may propose clauses and submit amendments" in html
    assert "When it votes: Consensus, quorum 2; Government, Academia vote; tallies stay hidden until it closes." in html
    # The observer and the participant (members), and the outsider who follows; not the moderator who opens it.
    assert "3 people are told it is open, in the app and by email as each prefers: 2 members of the draft and " in html
    assert "1 other follower of it." in html
    assert f'action="/rounds/{second.id}/open/"' in html and "csrfmiddlewaretoken" in html
    assert f'href="/drafts/{draft.slug}/rounds/" data-testid="cancel"' in html
    assert Round.objects.get(pk=second.pk).phase == "scheduled" and not Event.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        opened = client.post(f"/rounds/{second.id}/open/", follow=True).content.decode()
    assert "“Second reading” is now open." in opened and Round.objects.get(pk=second.pk).phase == "open"
    told = set(Notification.objects.filter(kind="round_opened").values_list("recipient__username", flat=True))
    assert told == {"a_observer", "a_participant", "outsider"}  # as the page said
    client.force_login(people["participant"])
    assert client.get(f"/rounds/{second.id}/open/").status_code == 403


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
