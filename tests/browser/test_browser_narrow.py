"""Every page on a 390 px phone screen, and the compare table's redline boxes, measured in Chromium."""

import itertools
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from playwright.sync_api import Error as PlaywrightError

from accounts.models import User
from drafting import services
from drafting.models import Amendment, Clause, Comment, Draft, ExportJob, ImportJob, JoinRequest, Round, Snapshot
from drafting.services.join_requests import join_request_create
from tests.accounts.factories import PASSWORD, MembershipFactory, UserFactory
from tests.browser.test_browser_foundation import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LONG_ADDRESS = "https://example.org/reports/" + "responsible-state-behaviour-" * 5 + "annex.pdf"
LONG_WORD = "Informationsverarbeitungssicherheitsgewährleistungsverpflichtung"

# Pages every role set must reach; the test fails if one of them is not visited at all.
CORE_PAGES = {
    "home",
    "login",
    "signup",
    "draft-detail",
    "draft-rounds",
    "draft-snapshots",
    "draft-compare",
    "snapshot-detail",
    "round-results",
    "round-console",
    "clause-detail",
    "clause-amend",
    "amendment-detail",
    "draft-manage",
    "profile",
    "notifications",
}
# Pages other parts of the work add; visited when they are routed.
LATER_PAGES = {"round-ballot", "clause-amendments-compare", "draft-join", "round-close-preview", "round-move"}
# Not pages: a file download, and links that carry a secret token.
NOT_PAGES = {"draft-export", "email-confirm", "unsubscribe", "password_reset_confirm", "logout"}


def _routes():
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern).startswith(("api", "admin", "^api", "^admin")):
                    continue
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and pattern.name:
                if not (prefix + str(pattern.pattern)).startswith(("api", "admin", "health")):
                    yield pattern

    return list(walk(get_resolver().url_patterns))


def _negotiation():
    """The demo draft after a first reading closed as Rev.1, with a second reading in voting: long
    addresses and words in comments, amendments and a join request, competing amendments, snapshots."""
    call_command("load_demo", password=PASSWORD, stdout=StringIO())
    draft = Draft.objects.get()
    people = {u.username: u for u in User.objects.all()}
    moderator = people["moderator"]
    first = Round.objects.get(draft=draft)
    services.snapshot_create(draft=draft, label="Zero draft", by=moderator)
    clauses = list(Clause.objects.filter(draft=draft).order_by("section__position", "number"))
    target = clauses[2]
    proposal = services.clause_create(
        draft=draft,
        section_id=target.section_id,
        title=f"Reporting {LONG_WORD}",
        text=f"States **should** publish their reports at {LONG_ADDRESS}.",
        by=people["gov_participant"],
    )
    services.amendment_submit(
        clause_id=target.id,
        by=people["civil_participant"],
        kind="modify",
        text=target.text.replace("International law", f"International law, see {LONG_ADDRESS},"),
        rationale=LONG_WORD,
    )
    services.comment_post(by=people["observer"], clause_id=target.id, body=f"See {LONG_ADDRESS} and {LONG_WORD}.")
    services.round_start_voting(round_id=first.id, by=moderator)
    voters = ["gov_participant", "industry_participant", "academia_participant", "civil_participant"]
    for item in [*Clause.objects.filter(status="proposed"), *Amendment.objects.filter(status="submitted")]:
        for name in voters:
            kind = "clause_id" if isinstance(item, Clause) else "amendment_id"
            services.vote_cast(by=people[name], choice="yes", **{kind: item.id})
    services.round_close(round_id=first.id, by=moderator)

    second = services.round_create(draft=draft, by=moderator, title="Second reading", voting_rule="multistakeholder")
    services.round_open(round_id=second.id, by=moderator)
    contested = clauses[3]
    for name, words in (("industry_participant", "commercial"), ("civil_participant", f"public {LONG_WORD}")):
        services.amendment_submit(
            clause_id=contested.id,
            by=people[name],
            kind="modify",
            text=contested.text.replace("State sovereignty", f"State {words} sovereignty"),
        )
    services.comment_post(by=people["academia_participant"], clause_id=contested.id, body=LONG_ADDRESS)
    services.round_start_voting(round_id=second.id, by=moderator)
    outsider = UserFactory(username="outsider")
    MembershipFactory(user=outsider)
    join_request_create(draft=draft, by=outsider, message=f"{LONG_WORD} {LONG_ADDRESS}")
    job = ExportJob.objects.create(draft=draft, requested_by=moderator, format="pdf")
    refused = ImportJob.objects.create(
        requested_by=moderator,
        filename=f"{LONG_WORD}.json",
        status="failed",
        progress=100,
        stage="Refused",
        error=f"record.votes[0].created_at: {LONG_WORD} is not a date ({LONG_ADDRESS})",
    )
    return {
        "slug": [draft.slug],
        "clause_id": [target.id, contested.id, proposal.id],
        "amendment_id": list(Amendment.objects.values_list("id", flat=True)),
        "round_id": [first.id, second.id],
        "snapshot_id": list(Snapshot.objects.values_list("id", flat=True)),
        "job_id": [job.id],
        "import_id": [refused.id],
        "comment_id": list(Comment.objects.values_list("id", flat=True)[:1]),
        "request_id": list(JoinRequest.objects.values_list("id", flat=True)),
        "move": ["open", "start-voting", "close"],
        "decision": ["approve", "decline"],
    }


def _urls(values):
    """Every page of the URL configuration with the scene's objects filled in: ``[(name, url)]``."""
    urls, skipped = [], []
    for pattern in _routes():
        args = list(pattern.pattern.converters)
        if pattern.name in NOT_PAGES or any(not values.get(arg) for arg in args):
            skipped.append(pattern.name)
            continue
        for combination in itertools.product(*(values[arg] for arg in args)):
            urls.append((pattern.name, reverse(pattern.name, kwargs=dict(zip(args, combination, strict=True)))))
    snapshots = values["snapshot_id"]
    compare = reverse("draft-compare", args=values["slug"]) + f"?from={snapshots[0]}&to={snapshots[-1]}"
    urls.append(("draft-compare", compare))
    return urls, skipped


OVERFLOWING = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
  .filter(e => !e.closest('.table-scroll, table'))
  .slice(0, 5)
  .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '')
       + ' ' + Math.round(e.getBoundingClientRect().right))"""


def test_no_page_overflows_a_phone_screen(browser, live_server):
    values = _negotiation()
    urls, skipped = _urls(values)
    visited, wide = {}, []
    for who in (None, "civil_participant", "moderator"):
        context = browser.new_context(base_url=live_server.url, viewport=PHONE)
        page = context.new_page()
        page.set_default_timeout(15_000)
        if who:
            log_in(page, who)
        for name, url in urls:
            # Asked first without following redirects: POST-only addresses, pages not theirs and
            # redirects to log in are not pages this reader sees there.
            answer = page.request.get(url, max_redirects=0)
            if answer.status != 200 or "text/html" not in answer.headers.get("content-type", ""):
                continue
            page.goto(url)
            try:  # what htmx loads after the page (counts, participation) takes its room too
                page.wait_for_load_state("networkidle", timeout=3_000)
            except PlaywrightError:
                pass
            visited.setdefault(name, set()).add(who or "anonymous")
            width = page.evaluate("() => document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                wide.append((who or "anonymous", url, width, page.evaluate(OVERFLOWING)))
        context.close()
    assert not wide, "\n".join(map(str, wide))
    assert CORE_PAGES <= set(visited), sorted(CORE_PAGES - set(visited))
    routed = {pattern.name for pattern in _routes()}
    for name in LATER_PAGES & routed - {"round-move", "draft-join", "round-close-preview"}:
        assert name in visited, name
    print("Pages measured at 390 px:", ", ".join(f"{n} ({'/'.join(sorted(w))})" for n, w in sorted(visited.items())))
    print("Not measured (no object, or not a page):", ", ".join(sorted(set(skipped))))


BOXES = """() => [...document.querySelectorAll('[data-testid=compare-row]')].map(row => {
  const cell = row.querySelector('[data-testid=compare-redline]')?.closest('td');
  const box = row.querySelector('[data-testid=compare-redline]');
  const rect = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  return {row: rect(row), cell: cell && rect(cell), box: box && rect(box),
          texts: [...row.querySelectorAll('td')].filter(td => td !== cell).map(rect)};
})"""


@pytest.mark.parametrize("width", [1280, 390])
def test_compare_redline_boxes_stay_inside_their_cells(browser, live_server, width):
    draft_values = _compare_scene()
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(draft_values)
    rows = page.evaluate(BOXES)
    boxed = [r for r in rows if r["box"]]
    assert len(boxed) >= 2, rows
    for row in boxed:
        left, top, right, bottom = row["box"]
        c_left, c_top, c_right, c_bottom = row["cell"]
        assert c_left - 0.5 <= left and right <= c_right + 0.5, row
        assert c_top - 0.5 <= top and bottom <= c_bottom + 0.5, row
        for other in rows:  # and never over another row's text
            if other is not row:
                assert bottom <= other["row"][1] + 0.5 or top >= other["row"][3] - 0.5, (row, other)
    context.close()


def _compare_scene() -> str:
    """Two snapshots of the demo draft, three clauses changed between them (one with Markdown)."""
    call_command("load_demo", password=PASSWORD, stdout=StringIO())
    draft = Draft.objects.get()
    moderator = User.objects.get(username="moderator")
    old = services.snapshot_create(draft=draft, label="Zero draft", by=moderator)
    for clause in Clause.objects.filter(draft=draft).order_by("number")[:3]:
        services.clause_update(
            clause_id=clause.id,
            version=clause.version,
            by=moderator,
            title=clause.title,
            text=clause.text.replace("the", "**all the**", 1) + f" See {LONG_ADDRESS}.",
        )
    new = services.snapshot_create(draft=draft, label="Chair's text", by=moderator)
    return reverse("draft-compare", args=[draft.slug]) + f"?from={old.id}&to={new.id}"
