"""The benchmark's steps that run inside Django rather than against the server.

    python -m bench.inproc <step> [args]     (DJANGO_SETTINGS_MODULE=bench.settings, DATABASE_URL set)

Each step prints one JSON object on its last line; bench/run.py reads it.
"""

import json
import statistics
import sys
import time

import django

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Membership, Organization, User  # noqa: E402
from accounts.tokens import token_issue  # noqa: E402
from drafting import services  # noqa: E402
from drafting.models import (  # noqa: E402
    Amendment,
    Clause,
    Draft,
    DraftMembership,
    ItemResult,
    Phase,
    Role,
    Round,
    Vote,
)
from drafting.tally import ballot  # noqa: E402
from notifications.models import Subscription  # noqa: E402

FANOUT_SLUG = "bench-fanout"
FOLLOWERS = 10_000


def emit(value) -> None:
    print(json.dumps(value))


def voters() -> list[User]:
    return list(User.objects.filter(username__startswith="voter").order_by("username"))


def session_for(user: User) -> str:
    """A signed-in session, as the log-in page would leave it."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "accounts.backends.GuardedModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def seed_fanout() -> None:
    """A draft with one clause followed by 10,000 people and one followed by 10, and a commenter."""
    admin = User.objects.get(username="bench-admin")
    if Draft.objects.filter(slug=FANOUT_SLUG).exists():
        return
    draft = services.draft_create(title="Benchmark fan-out", summary="", by=admin)
    Draft.objects.filter(pk=draft.pk).update(slug=FANOUT_SLUG)
    draft.refresh_from_db()
    section = services.section_create(draft=draft, title="Fan-out", by=admin)
    many, few = (
        services.clause_create(
            draft=draft,
            section_id=section.pk,
            title=title,
            text="States should notify one another of significant ICT incidents without delay.",
            status="agreed",
            by=admin,
        )
        for title in ("Followed by many", "Followed by few")
    )
    commenter = voters()[0]
    DraftMembership.objects.create(draft=draft, user=commenter, role=Role.PARTICIPANT)
    organization = Organization.objects.order_by("id").first()
    people = User.objects.bulk_create(
        User(username=f"follower{n:05d}", email=f"follower{n:05d}@example.org", password="!", is_active=True)
        for n in range(FOLLOWERS)
    )
    Membership.objects.bulk_create(
        Membership(user=person, organization=organization, status=Membership.Status.VERIFIED) for person in people
    )
    DraftMembership.objects.bulk_create(DraftMembership(draft=draft, user=p, role=Role.OBSERVER) for p in people)
    Subscription.objects.bulk_create(Subscription(user=p, clause=many) for p in people)
    Subscription.objects.bulk_create(Subscription(user=p, clause=few) for p in people[:10])


def token_for(user, *, second_factor: bool = False) -> str:
    """A benchmark token; the moderator's is vouched for as confirmed with a second factor now, as
    production settings ask of a moderator's token."""
    return token_issue(user=user, name="benchmark", second_factor_at=timezone.now() if second_factor else None)[1]


def prepare() -> None:
    """Tokens, sessions and ids the runner's load needs; and the close-under-load round emptied."""
    people = voters()
    moderator = User.objects.get(username="bench-moderator")
    plan = {
        "tokens": [token_for(v) for v in people],
        "sessions": [session_for(v) for v in people[:50]],
        "moderator_token": token_for(moderator, second_factor=True),
        "drafts": {},
    }
    for draft in Draft.objects.filter(slug__startswith="bench-"):
        round_ = Round.objects.filter(draft=draft).order_by("-id").first()
        clauses = list(Clause.objects.filter(draft=draft).order_by("number").values_list("id", flat=True))
        items = [(kind, item.id) for kind, item in ballot(round_)] if round_ and round_.phase == Phase.VOTING else []
        plan["drafts"][draft.slug] = {
            "id": draft.pk,
            "round": round_.pk if round_ else None,
            "clauses": clauses,
            "ballot": items,
        }
    close = Draft.objects.filter(slug="bench-close").first()
    if close is not None:
        # Straight deletes: the ORM's would write a "-" history row for each of the votes.
        rounds = list(Round.objects.filter(draft=close).values_list("id", flat=True))
        with connection.cursor() as cursor:
            for table in (Vote.history.model._meta.db_table, Vote._meta.db_table):
                cursor.execute(f"DELETE FROM {table} WHERE round_id = ANY(%s)", [rounds])  # noqa: S608
    fanout = Clause.objects.filter(draft__slug=FANOUT_SLUG).order_by("id")
    plan["fanout"] = {
        "clauses": {c.title: {"id": c.pk, "followers": Subscription.objects.filter(clause=c).count()} for c in fanout},
        "token": token_for(people[0]),
    }
    emit(plan)


def check_close(slug: str) -> None:
    """What a close under load left: votes per item and voter, and the stored tally."""
    round_ = Round.objects.get(draft__slug=slug)
    votes = Vote.objects.filter(round=round_)
    duplicates = votes.values("voter_id", "clause_id", "amendment_id").annotate(n=Count("id")).filter(n__gt=1).count()
    stored = sum(r.yes + r.no + r.abstain for r in ItemResult.objects.filter(round=round_))
    emit(
        {
            "phase": round_.phase,
            "votes": votes.count(),
            "pairs": sorted(
                f"{v['voter__username']}:{'c' if v['clause_id'] else 'a'}{v['clause_id'] or v['amendment_id']}"
                for v in votes.values("voter__username", "clause_id", "amendment_id")
            ),
            "duplicates": duplicates,
            "tallied": stored,
        }
    )


def close(slug: str) -> None:
    """Close a voting round in process: its time and its number of queries."""
    round_ = Round.objects.get(draft__slug=slug, phase=Phase.VOTING)
    moderator = User.objects.get(username="bench-moderator")
    votes = Vote.objects.filter(round=round_).count()
    items = len(ballot(round_))
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        services.round_close(round_id=round_.pk, by=moderator)
        seconds = time.perf_counter() - start
    emit({"seconds": seconds, "queries": len(queries), "votes": votes, "items": items})


def exports(slug: str) -> None:
    """The PDF of a draft against WeasyPrint alone on the same HTML; the DOCX; and the cache."""
    import weasyprint
    from django.core.cache import cache

    from drafting.documents import build, jobs
    from drafting.documents import html as html_format

    draft = Draft.objects.get(slug=slug)
    cache.clear()
    start = time.perf_counter()
    content, _, _ = jobs.export_file(draft, "pdf")
    pdf_seconds = time.perf_counter() - start

    markup = html_format.render(build(draft), for_pdf=True).decode()
    start = time.perf_counter()
    weasyprint.HTML(string=markup).write_pdf()
    weasyprint_seconds = time.perf_counter() - start

    start = time.perf_counter()
    again, _, _ = jobs.export_file(draft, "pdf")
    again_seconds = time.perf_counter() - start

    start = time.perf_counter()
    jobs.export_file(draft, "docx")
    docx_seconds = time.perf_counter() - start
    emit(
        {
            "clauses": draft.clauses.count(),
            "pdf_seconds": pdf_seconds,
            "pdf_bytes": len(content),
            "weasyprint_seconds": weasyprint_seconds,
            "pdf_again_seconds": again_seconds,
            "pdf_again_same": again == content,
            "docx_seconds": docx_seconds,
        }
    )


def diff() -> None:
    """Word diff of a clause against an amended copy, at 1x and at ten times the length."""
    from drafting.diff import word_diff

    clause = Clause.objects.filter(draft__slug="bench-1x").order_by("number").first()
    amendment = Amendment.objects.filter(clause=clause).order_by("id").first()
    old, new = amendment.base_text, amendment.text

    def timed(a, b) -> float:
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            word_diff(a, b)
            runs.append(time.perf_counter() - start)
        return statistics.median(runs)

    # Ten times longer: ten different paragraphs of the draft, with the amendment's change in each.
    others = list(Clause.objects.filter(draft__slug="bench-1x").order_by("number").values_list("text", flat=True)[:10])
    long_old = "\n\n".join([old] + others[1:10])
    long_new = "\n\n".join([new] + [text.replace("States", "Participating States", 1) for text in others[1:10]])
    one, ten = timed(old, new), timed(long_old, long_new)
    # The bound: two unrelated long texts must not hang.
    import random

    words = old.split()
    rng = random.Random(7)
    worst_old = " ".join(rng.choice(words) for _ in range(20_000))
    worst_new = " ".join(rng.choice(words) for _ in range(20_000))
    start = time.perf_counter()
    word_diff(worst_old, worst_new)
    worst = time.perf_counter() - start
    emit(
        {
            "one_seconds": one,
            "ten_seconds": ten,
            "one_chars": len(old),
            "ten_chars": len(long_old),
            "unrelated_20k_words_seconds": worst,
        }
    )


def draft_page(slug: str) -> None:
    """What the draft page's pre-compressed text saves (codeofconduct/fragments.py): the page served
    as it is, against the same page compressed whole, as the GZip middleware does other answers."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory
    from django.utils.text import compress_string

    from codeofconduct import fragments
    from drafting.views.drafts import draft_detail, draft_text

    def median_seconds(work, runs=15) -> float:
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            work()
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    request = RequestFactory().get(f"/drafts/{slug}/", HTTP_ACCEPT_ENCODING="gzip", SERVER_NAME="localhost")
    request.user = AnonymousUser()
    draft_detail(request, slug)  # the text rendered and cached
    page = median_seconds(lambda: draft_detail(request, slug))
    text = draft_text(Draft.objects.get(slug=slug))
    compressed = text.compressed()
    whole = text.plain() + b"<html>" * 500  # the text and about as much page around it as it has
    around = median_seconds(lambda: fragments.gzip_around(b"<html>" * 250, compressed, b"<html>" * 250))
    compressed_whole = median_seconds(lambda: compress_string(whole, max_random_bytes=100))
    emit(
        {
            "text_bytes": compressed.size,
            "page_seconds": page,
            "around_seconds": around,
            "whole_seconds": compressed_whole,
            # How much longer each page would take if its text were compressed with every request.
            "saved_share": (compressed_whole - around) / page,
        }
    )


STEPS = {
    "seed_fanout": seed_fanout,
    "prepare": prepare,
    "check_close": check_close,
    "close": close,
    "exports": exports,
    "diff": diff,
    "draft_page": draft_page,
}

if __name__ == "__main__":
    step, *args = sys.argv[1:]
    with transaction.atomic():
        STEPS[step](*args)
