"""Every page of the URL configuration checked by axe-core for WCAG 2.1 A and AA, for an anonymous
reader, a participant and a moderator, at desktop width and on a 390 px phone.

axe-core comes from package-lock.json (``npm ci``, which ``dev.py`` runs). Each page is loaded once
per reader and checked twice: at 1280 px, then resized to 390 px and checked again, where it must
also fit the screen and keep table words whole. A pattern added to the URL configuration later
fails the coverage check below until the scene reaches it or the skip list says why it is no page.
"""

import itertools
import json
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import services as account_services
from accounts.models import Organization, User
from codeofconduct import pages
from drafting import services
from drafting.models import Amendment, Comment, Cosponsorship, Draft, ExportJob, Round, Snapshot, Visibility
from live import room as live_room
from notifications import sent_mail
from notifications.delivery import unsubscribe_token
from tests.browser.test_browser_foundation import log_in
from tests.browser.test_browser_narrow import _negotiation
from tests.conftest import need

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUN = "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# The administrator last, for the pages only they have.
READERS = {"anonymous": None, "participant": "civil_participant", "moderator": "moderator", "admin": "admin"}

# Address prefixes that hold no page of ours: the API and its docs, Django's own admin, the probe,
# the live stream (pages open it: tests/browser/test_browser_live.py).
# jsi18n/: the scripts' words (Django's JavaScript catalogue), not a page.
NOT_OURS = ("api/", "^api/", "admin/", "health/", "static/", "media/", "live/", "jsi18n/")
# Patterns that answer GET with no page, each checked below to answer GET as this says.
POST_ONLY = {  # GET answers 405: the address is a form's action, its page is elsewhere
    "logout",
    "clause-edit",
    "clause-suggest",
    "comment-post",
    "comment-edit",
    "comment-restore",
    "comment-disposition",
    "join-request-decide",
    "vote",
    "notifications-mark-read",
    "notification-preferences",
    "follow",
    "draft-changes-seen",
    "cosponsor",
    "cosponsor-withdraw",
    "cosponsorship-set",
    "cosponsorship-decide",
    "live-session-open",
    "live-session-close",
    "live-session-follow",
    "live-session-set",
    "live-floor-ask",
    "live-floor-withdraw",
    "live-floor-give",
    "live-floor-end",
    "draft-translator-remove",
    "language-switch",
}
# GET answers with the document itself (Markdown, PDF, DOCX ...), not a page.
FILES = {"draft-export", "round-compilation", "round-synoptic"}


def _patterns() -> dict[str, URLPattern]:
    """Every named pattern of the URL configuration outside ``NOT_OURS``, by name."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(NOT_OURS):
                continue
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"{route} has no name: name it so this test can report it"
                yield pattern

    return {pattern.name: pattern for pattern in walk(get_resolver().url_patterns)}


def _scene() -> tuple[dict, dict]:
    """The demo draft after a closed first reading and in a second reading's vote (the narrow-screen
    test's negotiation), a scheduled third reading, and a second draft whose round is open, so the
    moves that are only possible while proposing have their pages too.

    Returns the values each URL argument takes, and per pattern name the query strings to add."""
    values = _negotiation()
    demo = Draft.objects.get(slug=values["slug"][0])
    people = {u.username: u for u in User.objects.all()}
    admin, moderator, author = people["admin"], people["moderator"], people["civil_participant"]
    now = timezone.now()
    services.round_create(draft=demo, by=moderator, title="Third reading", opens_at=now + timedelta(days=30))

    draft = services.draft_create(
        title="Guidelines on coordinated vulnerability disclosure", visibility=Visibility.PUBLIC, by=admin
    )
    for username, role in (("moderator", "moderator"), ("civil_participant", "participant")):
        services.draft_member_set(draft=draft, user_id=people[username].pk, role=role, by=admin)
    section = services.section_create(draft=draft, title="Disclosure", by=moderator)
    clause = services.clause_create(
        draft=draft,
        section_id=section.pk,
        title="Reporting channels",
        text="Vendors should publish how a government, a company or a researcher reports a vulnerability.",
        status="bracketed",
        by=moderator,
    )
    clause = services.clause_update(
        clause_id=clause.id, version=clause.version, by=moderator, text=clause.text + " Reports are acknowledged."
    )
    consultation = services.round_create(draft=draft, by=moderator, title="Informal consultations")
    services.round_open(round_id=consultation.id, by=moderator)
    amendment = services.amendment_submit(
        clause_id=clause.id, by=author, kind="modify", text=clause.text.replace("should", "shall"), rationale="Firm."
    )
    comment = services.comment_post(by=author, clause_id=clause.id, body="The channel must be free of charge.")
    # A delegation asks to co-sponsor the amendment (its page shows the request to the proponent).
    asking = Organization.objects.exclude(memberships__user=author).order_by("id").first()
    cosponsorship = Cosponsorship.objects.create(
        amendment=amendment, organization=asking, status=Cosponsorship.Status.REQUESTED, requested_by=moderator
    )
    # A live session on the second draft: a delegation waiting for the floor, another speaking (timed),
    # and the Chair's edit on a proposal, its redline on screen; one closed on the demo draft.
    live_room.session_open(slug=demo.slug, by=moderator)
    live_room.session_close(slug=demo.slug, by=moderator)
    live_room.session_open(slug=draft.slug, by=moderator)
    live_room.session_set(slug=draft.slug, by=moderator, speaking_time=180)
    live_room.floor_ask(slug=draft.slug, by=author)
    live_room.floor_give(slug=draft.slug, by=moderator)
    live_room.floor_ask(slug=draft.slug, by=moderator)
    # The paragraph in Arabic, then outdated by the Chair's edit below: its page sets the original
    # beside it, with the changes since and the translator's form.
    translator, _ = services.translator_appoint(draft=draft, user_id=author.pk, language="ar", by=moderator)
    services.translation_save(
        clause_id=clause.id,
        language="ar",
        of_version=clause.version,
        title="قنوات الإبلاغ",
        text="ينبغي للبائعين أن ينشروا كيف تبلغ حكومة أو شركة أو باحث عن ثغرة.",
        by=author,
    )
    clause = services.clause_update(
        clause_id=clause.id,
        version=clause.version,
        by=moderator,
        text=clause.text + " Within 90 days.",
        on_proposal_of=author.memberships.first().organization_id,
    )

    voting = Round.objects.get(draft=demo, phase="voting")
    closed = Round.objects.get(draft=demo, phase="closed")
    scheduled = Round.objects.get(draft=demo, phase="scheduled")
    first_clause, contested, proposal = values["clause_id"]
    submitted = Amendment.objects.filter(round=voting).order_by("id").first()
    accepted = Amendment.objects.filter(round=closed, status="accepted").order_by("id").first()
    snapshots = list(Snapshot.objects.filter(draft=demo).order_by("id"))
    fresh = account_services.user_register(
        username="newcomer",
        email="newcomer@example.org",
        password="correct horse battery",
        organization_id=author.memberships.first().organization_id,
    )
    values = {
        "slug": [demo.slug, draft.slug],
        "clause_id": [first_clause, contested, clause.id],
        "amendment_id": [submitted.id, accepted.id, amendment.id],
        "round_id": [closed.id, voting.id, scheduled.id, consultation.id],
        "snapshot_id": [snapshots[-1].id],
        "job_id": list(ExportJob.objects.values_list("id", flat=True)),
        "import_id": values["import_id"],
        "comment_id": [Comment.objects.filter(clause_id=contested).first().id, comment.id],
        "request_id": values["request_id"],
        "decision": ["approve"],
        "language": ["ar"],
        "translator_id": [translator.id],
        "cosponsorship_id": [cosponsorship.id],
        "move": ["open", "start-voting", "close"],
        "kind": ["clause"],
        "item_id": [proposal],
        "email-confirm": [{"token": account_services.confirmation_token(fresh)}],
        "unsubscribe": [{"token": unsubscribe_token(people["observer"])}],
        "message_id": sent_mail.message_ids()[:1],  # an email the scene sent, kept (mail_kept)
        "password_reset_confirm": [
            {
                "uidb64": urlsafe_base64_encode(force_bytes(author.pk)),
                "token": default_token_generator.make_token(author),
            }
        ],
    }
    queries = {  # the query strings a page is reached with; several mean several pages
        "draft-compare": [f"?from={snapshots[0].id}&to={snapshots[-1].id}"],
        "draft-changes": [f"?since={(now - timedelta(days=1)).date().isoformat()}"],
        "search": ["", "?q=sovereignty"],
        # The text in Arabic beside the English original: both directions on one page.
        "draft-detail": ["", "?lang=ar&text=both"],
        "clause-revert": ["?to_version=1&reason=Back+to+the+zero+draft"],
        "comment-hide": ["?reason=Off+topic"],
        "draft-export": ["?format=md"],
        "round-compilation": ["?format=md"],
        "round-synoptic": ["?format=md"],
    }
    return values, queries


def _addresses(patterns: dict[str, URLPattern], values: dict, queries: dict) -> dict[str, list[str]]:
    """Each pattern's addresses with the scene's objects filled in (a pattern with an argument the
    scene has no value for gets none, and the coverage check names it)."""
    addresses = {}
    for name, pattern in patterns.items():
        args = list(pattern.pattern.converters)
        if name in values:
            combinations = values[name]
        elif all(values.get(arg) for arg in args):
            combinations = [dict(zip(args, c, strict=True)) for c in itertools.product(*(values[a] for a in args))]
        else:
            combinations = []
        addresses[name] = [
            reverse(name, kwargs=kwargs) + query for kwargs in combinations for query in queries.get(name, [""])
        ]
    return addresses


def _page_address(page, name: str, url: str) -> str | None:
    """Where ``url`` shows this reader a page of pattern ``name``: itself when GET answers 200 with
    HTML, the address it redirects to when that is the same page (a reset link's form), else None
    (a log-in redirect, a refusal, a move not possible now)."""
    answer = page.request.get(url, max_redirects=0)
    if answer.status in (301, 302) and "location" in answer.headers:
        target = answer.headers["location"]
        try:
            if resolve(target.split("?")[0]).url_name != name:
                return None
        except Resolver404:  # an address outside this site
            return None
        url, answer = target, page.request.get(target, max_redirects=0)
    if answer.status != 200 or "text/html" not in answer.headers.get("content-type", ""):
        return None
    return url


STRUCTURE = """() => {
  const focusable = [...document.querySelectorAll(
      'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]')]
    .filter(e => !e.disabled && e.tabIndex >= 0);
  const first = focusable[0];
  const target = first && first.hash ? document.getElementById(first.hash.slice(1)) : null;
  let shown = false;
  if (first) {
    first.focus();
    const r = first.getBoundingClientRect();
    shown = r.width > 1 && r.height > 1 && r.top >= 0 && r.left >= 0 && r.right <= window.innerWidth;
    first.blur();
  }
  return {
    lang: document.documentElement.lang,
    h1: [...document.querySelectorAll('h1')].map(h => h.textContent.trim()),
    header: document.querySelectorAll('body > header').length,
    nav: document.querySelectorAll('body > header nav').length,
    main: document.querySelectorAll('main').length,
    footer: document.querySelectorAll('body > footer').length,
    skip: first && {text: first.textContent.trim(), target: target && target.tagName.toLowerCase(), shown},
  };
}"""

# At 390 px: whatever is wider than the screen, and table cells whose words may break anywhere.
NARROW = """() => {
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
  const wide = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
    .filter(e => !e.closest('.table-scroll'))
    .slice(0, 5).map(e => name(e) + ' ' + Math.round(e.getBoundingClientRect().right));
  const breaking = [...document.querySelectorAll('td, th, td *, th *')].filter(e => {
    const s = getComputedStyle(e);
    return ['break-all', 'break-word'].includes(s.wordBreak) || s.overflowWrap === 'anywhere';
  }).slice(0, 5).map(e => {
    const s = getComputedStyle(e);
    return `${name(e)} (word-break: ${s.wordBreak}; overflow-wrap: ${s.overflowWrap})`;
  });
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, wide, breaking};
}"""


def _axe(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now, one line per rule."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    result = page.evaluate(AXE_RUN)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(
            " ".join(node["target"]) if isinstance(node["target"], list) else json.dumps(node["target"])
            for node in v["nodes"][:6]
        )
        for v in result["violations"]
    ]


def _structure_problems(page) -> list[str]:
    """The four things every page must have: a language, one h1, the landmarks, and a skip link
    to the main content as the first stop of the keyboard that shows itself when focused."""
    found = page.evaluate(STRUCTURE)
    problems = []
    if not found["lang"]:
        problems.append("<html> has no lang")
    if len(found["h1"]) != 1:
        problems.append(f"{len(found['h1'])} h1 elements: {found['h1']}")
    for landmark in ("header", "nav", "main", "footer"):
        if found[landmark] < 1 or (landmark == "main" and found[landmark] != 1):
            problems.append(f"{found[landmark]} {landmark} landmark(s)")
    skip = found["skip"]
    if not skip or skip["target"] != "main" or not skip["shown"]:
        problems.append(f"the first focusable element is not a visible skip link to <main>: {skip}")
    return problems


def _wait_for_fragments(page) -> None:
    """What htmx loads with the page (counts, participation) is part of what a reader meets: wait
    until no request of its is in flight or being swapped in (some poll: the network never rests)."""
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")


def _check(page, where: str, url: str) -> list[str]:
    """Load ``url`` at desktop width, check it, then narrow the same page to a phone and check again."""
    page.set_viewport_size(DESKTOP)
    page.goto(url)
    _wait_for_fragments(page)
    # What a reader unfolds (settings, reply and hide forms) is checked too: axe skips what is closed.
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    failures = [f"{where} at 1280 px: {v}" for v in _axe(page)]
    failures += [f"{where}: {p}" for p in _structure_problems(page)]
    page.set_viewport_size(PHONE)
    failures += [f"{where} at 390 px: {v}" for v in _axe(page)]
    narrow = page.evaluate(NARROW)
    if narrow["scrollWidth"] > narrow["innerWidth"]:
        failures.append(f"{where} at 390 px: {narrow['scrollWidth']} px wide, past the screen: {narrow['wide']}")
    if narrow["breaking"]:
        failures.append(f"{where} at 390 px: table words may break anywhere in {narrow['breaking']}")
    return failures


def _reader_page(browser, live_server, username: str | None):
    """One browser context per reader, signed in once; axe is injected, so the page's CSP is bypassed."""
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    if username:
        log_in(page, username)
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return context, page


def _skips_hold(browser, live_server, addresses: dict[str, list[str]]) -> list[str]:
    """The skip lists stay true, so no page hides behind them: asked by a moderator, a POST-only
    address answers GET with 405 and a download with a file."""
    context, page = _reader_page(browser, live_server, "moderator")
    wrong = []
    for name in sorted((POST_ONLY | FILES) & set(addresses)):
        if not addresses[name]:
            wrong.append(f"{name} is skipped, but the scene has no object to check it with")
            continue
        answer = page.request.get(addresses[name][0], max_redirects=0)
        if name in POST_ONLY and answer.status != 405:
            wrong.append(f"{name} is skipped as POST-only, but GET {addresses[name][0]} answers {answer.status}")
        disposition = answer.headers.get("content-disposition", "")
        if name in FILES and (answer.status != 200 or not disposition.startswith("attachment")):
            wrong.append(f"{name} is skipped as a download, but GET {addresses[name][0]} answers {answer.status}")
    context.close()
    return wrong


def test_every_page_passes_axe_for_every_reader_at_both_widths(browser, live_server, mail_kept):
    need(AXE.exists(), f"axe-core is not installed at {AXE} (npm ci)")
    started = time.monotonic()
    patterns = _patterns()
    values, queries = _scene()
    addresses = _addresses(patterns, values, queries)
    pages = sorted(set(addresses) - POST_ONLY - FILES)
    reached: dict[str, set[str]] = {}
    failures: list[str] = []
    checked = 0
    for reader, username in READERS.items():
        context, page = _reader_page(browser, live_server, username)
        # The administrator is asked only for the pages nobody else has (verifying memberships).
        for name in pages if reader != "admin" else [n for n in pages if n not in reached]:
            for address in addresses[name]:
                url = _page_address(page, name, address)
                if url is not None:
                    reached.setdefault(name, set()).add(reader)
                    failures += _check(page, f"{reader} {url}", url)
                    checked += 1
        if reader == "anonymous":  # the page a wrong or stale address leads to
            failures += _check(page, f"{reader} (not found)", "/drafts/no-such-draft/")
        context.close()

    failures += _skips_hold(browser, live_server, addresses)
    unreached = set(patterns) - set(reached) - POST_ONLY - FILES
    if unreached:
        failures.append(
            f"No reader reached these pages: give the scene their objects, or skip them: {sorted(unreached)}"
        )
    print(f"\naxe-core checked {checked} pages at two widths in {time.monotonic() - started:.0f} s, as:")
    for name, readers in sorted(reached.items()):
        print(f"  {name}: {', '.join(sorted(readers))}")
    assert not failures, "\n".join(failures)


def test_the_last_resort_error_pages_have_the_structure_and_pass_axe(browser, rf):
    """The 500 page and the 503 page (the database not answering) are rendered without the site's
    layout; they still have a language, one h1, the landmarks and a skip link, and pass axe."""
    need(AXE.exists(), f"axe-core is not installed at {AXE} (npm ci)")
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        for name, response in (
            ("500 page", pages.server_error(rf.get("/drafts/x/"))),
            ("503 page", pages.unavailable(rf.get("/drafts/x/"))),
        ):
            page.set_content(response.content.decode())
            problems = _axe(page) + _structure_problems(page)
            assert not problems, f"{name}: {problems}"
            assert page.locator("h1").inner_text() in ("Something went wrong", "Unavailable")
    finally:
        context.close()
