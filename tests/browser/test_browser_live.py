"""Two delegates' screens in Chromium, served as production serves them (uvicorn): what one does
appears on the other's page without a reload."""

import pytest
from playwright.sync_api import expect

from drafting import services
from tests.browser.test_browser_foundation import log_in

pytestmark = [pytest.mark.browser]


@pytest.fixture
def screens(browser, asgi_server):
    opened = []

    def screen():
        context = browser.new_context(base_url=asgi_server.url)
        page = context.new_page()
        page.set_default_timeout(10_000)
        problems = []
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        page.problems = problems
        opened.append(context)
        return page

    yield screen
    for context in opened:
        context.close()


def test_a_comment_the_chairs_edit_and_a_vote_reach_the_other_screen_without_reload(screens, draft, clause, people):
    moderator, participant = people["moderator"], people["participant"]
    round_ = services.round_create(draft=draft, by=moderator, title="First reading")
    services.round_open(round_id=round_.id, by=moderator)
    proposed = services.clause_create(
        draft=draft, section_id=clause.section_id, by=participant, title="Points of contact", text="States should."
    )
    chair, delegate = screens(), screens()
    log_in(chair, moderator.username)
    log_in(delegate, participant.username)
    for page in (chair, delegate):
        page.goto(f"/clauses/{clause.id}/")
        expect(page.locator("[data-testid=live-status]")).to_contain_text("Live")
        page.evaluate("window.stillTheSamePage = true")

    # The delegate's comment appears on the Chair's screen.
    delegate.fill("#comment-form textarea[name=body]", "Kenya supports this wording.")
    delegate.click("#comment-form button[type=submit]")
    expect(chair.locator("#comments [data-testid=comment-body]")).to_contain_text("Kenya supports this wording.")

    # Words the delegate is typing stay while others comment and the Chair edits: the comments wait
    # for them, the text changes around them.
    delegate.fill("#comment-form textarea[name=body]", "We would add")
    chair.fill("#comment-form textarea[name=body]", "The Chair proposes a compromise.")
    chair.click("#comment-form button[type=submit]")
    expect(chair.locator("#comments")).to_contain_text("The Chair proposes a compromise.")
    chair.fill("#edit-form textarea[name=text]", "States should share points of contact without undue delay.")
    chair.click("#edit-form button[type=submit]")
    expect(delegate.locator("#clause-text")).to_contain_text("without undue delay")
    expect(delegate.locator("#comment-form textarea[name=body]")).to_have_value("We would add")
    expect(delegate.locator("#comments")).not_to_contain_text("The Chair proposes a compromise.")
    # Once posted, the comments are the whole thread again.
    delegate.fill("#comment-form textarea[name=body]", "We would add a deadline.")
    delegate.click("#comment-form button[type=submit]")
    expect(delegate.locator("#comments")).to_contain_text("The Chair proposes a compromise.")
    expect(chair.locator("#comments")).to_contain_text("We would add a deadline.")
    assert delegate.evaluate("window.stillTheSamePage") is True

    # Voting starts: the delegate's ballot page is open; the Chair follows who votes.
    services.round_start_voting(round_id=round_.id, by=moderator)
    chair.goto(f"/rounds/{round_.id}/ballot/")
    delegate.goto(f"/rounds/{round_.id}/ballot/")
    expect(chair.locator("[data-testid=live-status]")).to_contain_text("Live")
    chair.evaluate("window.stillTheSamePage = true")
    voted = chair.locator("[data-testid=participation] tr", has_text="Government").locator("td").nth(2)
    expect(voted).to_have_text("0")
    delegate.locator(f"#ballot-clause-{proposed.id} button[value=yes]").click()
    expect(delegate.locator(f"#ballot-clause-{proposed.id} [data-testid=my-vote]")).to_contain_text("voted yes")
    expect(voted).to_have_text("1")
    assert chair.evaluate("window.stillTheSamePage") is True
    assert chair.problems == [] and delegate.problems == []


def test_the_room_the_chairs_edit_on_a_proposal_and_a_request_for_the_floor_reach_every_screen(
    screens, draft, clause, people
):
    moderator, participant = people["moderator"], people["participant"]
    delegation = participant.memberships.get().organization
    chair, delegate, projector = screens(), screens(), screens()
    log_in(chair, moderator.username)
    log_in(delegate, participant.username)
    log_in(projector, people["observer"].username)
    chair.goto(f"/drafts/{draft.slug}/session/")
    chair.click("[data-testid=session-open]")
    expect(chair.locator("[data-testid=room-ref]")).to_contain_text(clause.ref)
    delegate.goto(f"/drafts/{draft.slug}/session/")
    projector.goto(f"/drafts/{draft.slug}/session/screen/")
    for page in (chair, delegate, projector):
        expect(page.locator("[data-testid=live-status]")).to_contain_text("Live")
        page.evaluate("window.stillTheSamePage = true")
    expect(projector.locator("[data-testid=projector] form")).to_have_count(0)  # no controls on the screen

    # The delegate asks for the floor: the Chair and the room's screen see it.
    delegate.click("[data-testid=floor-ask]")
    expect(delegate.locator("[data-testid=speakers-next]")).to_contain_text("your delegation")
    delegate.evaluate("window.stillTheSamePage = true")  # its own form reloaded it; from here, nothing may
    expect(chair.locator("[data-testid=speakers-next]")).to_contain_text(delegation.name)
    expect(projector.locator("[data-testid=speakers-next]")).to_contain_text(delegation.name)
    chair.click("[data-testid=floor-next]")
    expect(projector.locator("[data-testid=speaking-now]")).to_contain_text(delegation.name)
    expect(delegate.locator("[data-testid=floor-withdraw]")).to_contain_text("End our intervention")

    # The Chair edits the paragraph in place on the delegation's proposal: every screen shows the
    # redline, credited to the Chair on that proposal.
    chair.fill(
        "[data-testid=chair-edit] textarea[name=text]", "States should protect critical infrastructure at all times."
    )
    chair.select_option("[data-testid=chair-edit] select[name=on_proposal_of]", label=delegation.name)
    chair.click("[data-testid=chair-save]")
    for page in (delegate, projector):
        expect(page.locator("[data-testid=room-redline] ins")).to_contain_text("at all times")
        expect(page.locator("[data-testid=room-changed-by]")).to_contain_text(f"on the proposal of {delegation.name}")
        assert page.evaluate("window.stillTheSamePage") is True
    assert chair.problems == [] and delegate.problems == [] and projector.problems == []


def test_the_console_and_side_by_side_follow_new_comments_and_amendments(screens, draft, clause, people):
    moderator, participant = people["moderator"], people["participant"]
    round_ = services.round_create(draft=draft, by=moderator, title="First reading")
    services.round_open(round_id=round_.id, by=moderator)
    console, reader = screens(), screens()
    log_in(console, moderator.username)
    log_in(reader, people["observer"].username)
    console.goto(f"/rounds/{round_.id}/console/")
    reader.goto(f"/clauses/{clause.id}/amendments/compare/")
    for page in (console, reader):
        expect(page.locator("[data-testid=live-status]")).to_contain_text("Live")
        page.evaluate("window.stillTheSamePage = true")
    expect(reader.locator("[data-testid=no-amendments]")).to_be_visible()

    services.comment_post(by=participant, body="A deadline would help.", clause_id=clause.id)
    expect(console.locator("[data-testid=queue]")).to_contain_text("A deadline would help.")
    amendment = services.amendment_submit(
        clause_id=clause.id, by=participant, kind="modify", text=clause.text + " Within 30 days."
    )
    expect(reader.locator(f"#amendment-{amendment.id} [data-testid=redline] ins")).to_contain_text("30 days")
    services.round_start_voting(round_id=round_.id, by=moderator)
    expect(console.locator("[data-testid=phase]")).to_have_text("Voting")
    for page in (console, reader):
        assert page.evaluate("window.stillTheSamePage") is True
    assert console.problems == [] and reader.problems == []


def test_the_notifications_page_shows_a_new_notification_without_reload(screens, draft, people):
    from notifications import services as notifications

    observer = people["observer"]
    page = screens()
    log_in(page, observer.username)
    page.goto("/notifications/")
    expect(page.locator("[data-testid=live-status]")).to_have_attribute("data-state", "live")
    page.evaluate("window.stillTheSamePage = true")
    notifications.notify(
        kind="comment", draft=draft, actor=None, message="Kenya commented on OP1.", url="/", recipients=[observer]
    )
    newest = page.locator("[data-testid=notification]").first
    expect(newest).to_contain_text("Kenya commented on OP1.")
    expect(page.locator("[data-testid=unread-count]")).to_have_text("1")
    page.wait_for_timeout(2000)  # the page looking again marks nothing read: it stays new
    expect(newest).to_contain_text("new")
    expect(page.locator("[data-testid=unread-count]")).to_have_text("1")
    assert page.evaluate("window.stillTheSamePage") is True
    assert page.problems == []
