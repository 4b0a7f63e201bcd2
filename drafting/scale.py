"""A realistic draft at a chosen scale, for the performance benchmark (``manage.py generate_draft``).

Scale 1 is 100 clauses in ten sections, each clause with ten versions, twenty comments and five
amendments, in a round that is voting, with every voter's vote on every item of its ballot; scale
10 is ten times that with the same voters. Voters (``voter001``...) are made once and reused by
every later draft; everything else is new per draft.

Rows are written in bulk with their history, as ``documents.imports`` does: a history row for
every version, comment, amendment and vote, naming who made it and why. Votes, a million at 10x,
are streamed with PostgreSQL's COPY and their history is copied from them inside the database.
The words come from a seeded generator, so a scale gives the same text every time.
"""

import copy
import math
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Membership, Organization, StakeholderGroup, User
from codeofconduct.errors import Conflict, InvalidInput
from codeofconduct.history import save_with_history
from notifications.models import Event, Subscription

from . import services
from .markdown import render_markdown
from .models import (
    Amendment,
    AmendmentKind,
    Clause,
    ClauseStatus,
    Comment,
    CommentDisposition,
    Draft,
    DraftMembership,
    ItemResult,
    Role,
    Round,
    Snapshot,
    Stance,
    Visibility,
    Vote,
    VoteChoice,
    VotingRule,
)

CLAUSES_PER_SCALE = 100
CLAUSES_PER_SECTION = 10
VERSIONS = 10
COMMENTS = 20
REPLIES = 5  # of the comments, answers to one of the others on the same clause
QUOTING = 3  # of the comments, anchored to words of the clause
AMENDMENTS = 5
CLAUSES_PER_BATCH = 250  # written, with their versions, amendments and comments, before the next
DEFAULT_VOTERS = 200
ORGANIZATIONS_PER_GROUP = 3
QUORUM = 10
BATCH = 5_000
SEED = 2026
ADMIN = "bench-admin"
MODERATOR = "bench-moderator"
MIN_WORDS, MAX_WORDS = 60, 120

# (status, weight): most clauses are proposed, so the ballot is long; none is rejected or withdrawn,
# so every clause can carry amendments.
STATUSES = [(ClauseStatus.PROPOSED, 60), (ClauseStatus.BRACKETED, 25), (ClauseStatus.AGREED, 15)]
# Earlier versions of a bracketed or agreed clause were proposed: the status came with this version.
STATUS_FROM_VERSION = 8
STANCES = [
    (Stance.SUPPORT, 30),
    (Stance.CONCERN, 20),
    (Stance.NEUTRAL, 20),
    (Stance.OPPOSE, 15),
    (Stance.QUESTION, 15),
]
DELETE_SHARE = 0.08  # of the amendments, proposals to delete the clause
# (yes, no) shares of an item's votes, the rest abstain: some items pass, some fail, some are close.
LEANINGS = [(0.75, 0.15), (0.6, 0.3), (0.45, 0.45), (0.3, 0.6), (0.2, 0.7)]


@dataclass
class Voter:
    user: User
    organization_id: int
    stakeholder_group: str


@dataclass
class Generated:
    draft: Draft
    round: Round
    voters: int
    clauses: int = 0
    versions: int = 0
    comments: int = 0
    amendments: int = 0
    votes: int = 0
    statuses: Counter = field(default_factory=Counter)  # clauses per status
    seconds: dict[str, float] = field(default_factory=dict)  # per stage, in the order they ran


def clause_count(scale: float) -> int:
    """100 clauses per unit of scale, at least one."""
    if not scale > 0:
        raise InvalidInput("The scale is a positive number, such as 1, 10 or 0.05.", field="scale")
    return max(1, round(CLAUSES_PER_SCALE * scale))


@transaction.atomic
def generate_draft(
    *,
    slug: str,
    scale: float,
    voters: int = DEFAULT_VOTERS,
    replace: bool = False,
    on_stage: Callable[[str, float], None] | None = None,
) -> Generated:
    """Write a public draft at ``scale`` with its people, round, history and votes, in one transaction.

    A draft with ``slug`` is refused (Conflict) unless ``replace``, which deletes it first.
    ``on_stage(name, seconds)`` hears of each stage as it ends (the command prints them).
    """
    count = clause_count(scale)
    if voters < 1:
        raise InvalidInput("At least one voter is needed.", field="voters")
    stages = Stages(on_stage)
    existing = Draft.objects.filter(slug=slug).first()
    if existing is not None and not replace:
        raise Conflict(f"A draft with the slug {slug!r} exists; use --replace to generate it again.", field="slug")
    if existing is not None:
        with stages("delete the old draft"):
            delete_draft(existing)

    with stages("people"):
        admin, moderator = _person(ADMIN, admin=True), _person(MODERATOR)
        people = _voters(voters, by=admin)
    with stages("draft, sections and round"):
        # Written here rather than by draft_create, which makes its own slug from the title.
        draft = Draft(
            title=f"Benchmark draft ({scale:g}x)",
            slug=slug,
            summary=f"Generated for the performance benchmark: {count:,} clauses, {len(people):,} voters.",
            visibility=Visibility.PUBLIC,
            created_by=admin,
        )
        save_with_history(draft, by=admin, reason="Draft created")
        services.draft_member_set(draft=draft, user_id=moderator.id, role=Role.MODERATOR, by=admin)
        memberships = [DraftMembership(draft=draft, user=voter.user, role=Role.PARTICIPANT) for voter in people]
        DraftMembership.objects.bulk_create(memberships, batch_size=BATCH)
        DraftMembership.history.bulk_history_create(
            memberships, default_user=admin, default_change_reason="Appointed participant", batch_size=BATCH
        )
        sections = [
            services.section_create(draft=draft, title=_section_title(index), by=moderator)
            for index in range(math.ceil(count / CLAUSES_PER_SECTION))
        ]
        round_ = services.round_create(
            draft=draft,
            by=moderator,
            title="Benchmark reading",
            voting_rule=VotingRule.SIMPLE_MAJORITY,
            quorum=min(QUORUM, len(people)),
        )
        round_ = services.round_open(round_id=round_.id, by=moderator)

    generated = Generated(draft=draft, round=round_, voters=len(people), seconds=stages.seconds)
    prose = Prose(random.Random(SEED))
    ballot: list[tuple[str, int]] = []
    amendment_ids: list[int] = []
    for first in range(0, count, CLAUSES_PER_BATCH):
        numbers = range(first + 1, min(first + CLAUSES_PER_BATCH, count) + 1)
        with stages("clauses and versions"):
            written = _write_clauses(numbers, sections, prose, draft=draft, by=moderator)
            clauses = [clause for clause, _ in written]
        with stages("amendments"):
            amendments = _write_amendments(written, people, prose, round_=round_)
        with stages("comments"):
            generated.comments += _write_comments(clauses, people, prose)
        generated.clauses += len(clauses)
        generated.statuses.update(clause.status for clause in clauses)
        generated.versions += len(clauses) * VERSIONS
        generated.amendments += len(amendments)
        ballot += [("clause", c.id) for c in clauses if c.status == ClauseStatus.PROPOSED]
        amendment_ids += [a.id for a in amendments]

    with stages("votes"):
        round_ = services.round_start_voting(round_id=round_.id, by=moderator)
        generated.round = round_
        ballot += [("amendment", amendment_id) for amendment_id in amendment_ids]
        generated.votes = _write_votes(round_, ballot, people, random.Random(SEED + 1))
    with stages("vote history"):
        _copy_vote_history(round_)
    return generated


class Stages:
    """Times each stage of the generation, adding up a stage that runs once per batch of clauses."""

    def __init__(self, on_stage: Callable[[str, float], None] | None):
        self.seconds: dict[str, float] = {}
        self.on_stage = on_stage

    @contextmanager
    def __call__(self, name: str):
        start = time.perf_counter()
        yield
        spent = time.perf_counter() - start
        self.seconds[name] = self.seconds.get(name, 0.0) + spent
        if self.on_stage is not None:
            self.on_stage(name, spent)


# People ------------------------------------------------------------------------------------------


def _person(username: str, *, admin: bool = False) -> User:
    """The benchmark's administrator or moderator, made the first time.

    Generated people have no usable password (hashing one for each of 200 voters would take
    minutes); sign them in by session or API token (``accounts.services.token_for``).
    """
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, email=f"{username}@bench.example.org", is_superuser=admin, is_staff=admin)
        user.set_unusable_password()
        save_with_history(user, by=None, reason="Benchmark person created")
    return user


def _organizations(*, by: User) -> dict[str, list[Organization]]:
    """Three organizations in each stakeholder group, made the first time."""
    countries = ["FR", "KE", "BR", "JP", "CA", "IN", "DE", "ZA", "MX", "NO", "SG", "CL"]
    result: dict[str, list[Organization]] = {}
    for g_index, (group, label) in enumerate(StakeholderGroup.choices):
        result[group] = []
        for n in range(1, ORGANIZATIONS_PER_GROUP + 1):
            name = f"Benchmark {label.lower()} {n}"
            organization = Organization.objects.filter(name=name).first() or account_services.organization_create(
                name=name,
                stakeholder_group=group,
                country=countries[(g_index * ORGANIZATIONS_PER_GROUP + n - 1) % len(countries)],
                by=by,
            )
            result[group].append(organization)
    return result


def _voters(count: int, *, by: User) -> list[Voter]:
    """``voter001``... with confirmed addresses and verified memberships, spread over the four groups.

    Made the first time (in bulk, with history) and reused by every later draft; a voter whose
    membership is still pending is verified as an administrator would.
    """
    organizations = _organizations(by=by)
    groups = list(StakeholderGroup.values)
    plan = {}
    for index in range(count):
        group = groups[index % len(groups)]
        organization = organizations[group][(index // len(groups)) % ORGANIZATIONS_PER_GROUP]
        plan[f"voter{index + 1:03d}"] = organization

    users = User.objects.in_bulk(list(plan), field_name="username")
    missing = [User(username=name, email=f"{name}@bench.example.org") for name in plan if name not in users]
    for user in missing:
        user.set_unusable_password()
    User.objects.bulk_create(missing, batch_size=BATCH)
    User.history.bulk_history_create(missing, default_change_reason="Benchmark voter created", batch_size=BATCH)
    users.update({user.username: user for user in missing})

    held = {
        (m.user_id, m.organization_id): m
        for m in Membership.objects.filter(user__in=list(users.values()), organization__in=set(plan.values()))
    }
    now = timezone.now()
    new = []
    for name, organization in plan.items():
        membership = held.get((users[name].id, organization.id))
        if membership is None:
            new.append(
                Membership(
                    user=users[name],
                    organization=organization,
                    status=Membership.Status.VERIFIED,
                    verified_by=by,
                    verified_at=now,
                )
            )
        elif membership.status != Membership.Status.VERIFIED:
            account_services.membership_verify(organization_id=organization.id, user_id=users[name].id, by=by)
    Membership.objects.bulk_create(new, batch_size=BATCH)
    Membership.history.bulk_history_create(
        new, default_user=by, default_change_reason="Membership verified", batch_size=BATCH
    )
    return [Voter(users[name], organization.id, organization.stakeholder_group) for name, organization in plan.items()]


# Clauses, amendments, comments -------------------------------------------------------------------


def _write_clauses(
    numbers: range, sections, prose: "Prose", *, draft: Draft, by: User
) -> list[tuple[Clause, "Wording"]]:
    """Clauses at their tenth version, then their ten history rows each: one "+" and nine "~",
    each a different text, in order, naming the moderator and a reason. Each clause comes back with
    its wording, which its amendments revise."""
    rendered: dict[str, str] = {}

    def html(text: str) -> str:
        if text not in rendered:
            rendered[text] = render_markdown(text)
        return rendered[text]

    clauses, versions = [], []
    for number in numbers:
        wordings = prose.versions(VERSIONS)
        last = wordings[-1]
        clause = Clause(
            draft=draft,
            section=sections[(number - 1) // CLAUSES_PER_SECTION],
            number=number,
            title=prose.title(),
            text=last.text,
            text_html=html(last.text),
            rationale=prose.rationale(),
            status=prose.pick(STATUSES),
            proposer=by,
            version=VERSIONS,
        )
        clauses.append(clause)
        versions.append(wordings)
    Clause.objects.bulk_create(clauses, batch_size=BATCH)

    start, created, changed = timezone.now(), [], []
    for clause, wordings in zip(clauses, versions, strict=True):
        for version, wording in enumerate(wordings, 1):
            state = copy.copy(clause)
            state.text, state.text_html, state.version = wording.text, html(wording.text), version
            state.status = clause.status if version >= STATUS_FROM_VERSION else ClauseStatus.PROPOSED
            if version == 1:
                state._change_reason = "Clause proposed"
            elif version == STATUS_FROM_VERSION and state.status != ClauseStatus.PROPOSED:
                state._change_reason = f"Status set to {state.status}"
            else:
                state._change_reason = prose.edit_reason()
            state._history_date = start + timedelta(microseconds=len(created) + len(changed))
            (created if version == 1 else changed).append(state)
    Clause.history.bulk_history_create(created, default_user=by, batch_size=BATCH)
    Clause.history.bulk_history_create(changed, update=True, default_user=by, batch_size=BATCH)
    return [(clause, wordings[-1]) for clause, wordings in zip(clauses, versions, strict=True)]


def _write_amendments(
    clauses: list[tuple[Clause, "Wording"]], people: list[Voter], prose: "Prose", *, round_: Round
) -> list[Amendment]:
    """Five submitted amendments per clause, each by a voter for their organization, written
    against the clause's current version."""
    amendments = []
    for clause, wording in clauses:
        for _ in range(AMENDMENTS):
            author = prose.rng.choice(people)
            delete = prose.rng.random() < DELETE_SHARE
            amendment = Amendment(
                clause=clause,
                round=round_,
                kind=AmendmentKind.DELETE if delete else AmendmentKind.MODIFY,
                text="" if delete else prose.amend(wording),
                rationale=prose.rationale(),
                base_version=clause.version,
                base_text=clause.text,
                author=author.user,
                organization_id=author.organization_id,
            )
            amendment._history_user = author.user
            amendments.append(amendment)
    Amendment.objects.bulk_create(amendments, batch_size=BATCH)
    _history(Amendment, amendments, reason="Amendment submitted")
    return amendments


def _write_comments(clauses: list[Clause], people: list[Voter], prose: "Prose") -> int:
    """Twenty comments per clause in a mix of stances, a few quoting the clause, a few answering
    another comment; replies are written after the comments they answer."""
    comments, replies, answered = [], [], []
    for clause in clauses:
        on_clause = []
        for index in range(COMMENTS - REPLIES):
            author = prose.rng.choice(people).user
            stance = prose.pick(STANCES)
            comment = Comment(
                clause=clause,
                author=author,
                body=prose.comment(stance),
                stance=stance,
                quote=prose.quote(clause.text) if index < QUOTING else "",
            )
            comment._history_user = author
            on_clause.append(comment)
        for _ in range(REPLIES):
            author = prose.rng.choice(people).user
            stance = prose.pick(STANCES)
            reply = Comment(clause=clause, author=author, body=prose.comment(stance), stance=stance)
            reply._history_user = author
            replies.append(reply)
            answered.append(prose.rng.choice(on_clause))
        comments += on_clause
    Comment.objects.bulk_create(comments, batch_size=BATCH)
    _history(Comment, comments, reason="Comment posted")
    for reply, parent in zip(replies, answered, strict=True):
        reply.parent = parent
    Comment.objects.bulk_create(replies, batch_size=BATCH)
    _history(Comment, replies, reason="Reply posted")
    return len(comments) + len(replies)


def _history(model, objs: list, *, reason: str) -> None:
    """One "+" history row per new row, each a microsecond after the one before."""
    start = timezone.now()
    for offset, obj in enumerate(objs):
        obj._history_date = start + timedelta(microseconds=offset)
    model.history.bulk_history_create(objs, default_change_reason=reason, batch_size=BATCH)


# Votes -------------------------------------------------------------------------------------------

VOTE_FIELDS = [
    "round_id",
    "voter_id",
    "clause_id",
    "amendment_id",
    "choice",
    "stakeholder_group",
    "organization_id",
    "created_at",
    "updated_at",
]


def _write_votes(round_: Round, ballot: list[tuple[str, int]], people: list[Voter], rng: random.Random) -> int:
    """Every voter's vote on every item of the ballot, each item leaning its own way.

    The rows are streamed with COPY (a million at 10x in under a minute, holding none of them in
    memory).
    """

    def rows() -> Iterator[tuple]:
        for kind, item_id in ballot:
            yes, no = rng.choice(LEANINGS)
            clause_id, amendment_id = (item_id, None) if kind == "clause" else (None, item_id)
            now = timezone.now()
            for voter in people:
                draw = rng.random()
                choice = VoteChoice.YES if draw < yes else VoteChoice.NO if draw < yes + no else VoteChoice.ABSTAIN
                yield (
                    round_.id,
                    voter.user.id,
                    clause_id,
                    amendment_id,
                    choice.value,
                    voter.stakeholder_group,
                    voter.organization_id,
                    now,
                    now,
                )

    quote = connection.ops.quote_name
    columns = ", ".join(quote(Vote._meta.get_field(name).column) for name in VOTE_FIELDS)
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {quote(Vote._meta.db_table)} ({columns}) FROM STDIN") as out,
    ):
        for row in rows():
            out.write_row(row)
    return len(ballot) * len(people)


def _copy_vote_history(round_: Round) -> None:
    """A "+" history row for every vote of the round, made by the database from the votes
    themselves: each names its voter and is dated when the vote was cast."""
    quote = connection.ops.quote_name
    # Each history column and what fills it: the vote's own columns, then when, why, how and who.
    sources = {field.column: quote(field.column) for field in Vote.history.model.tracked_fields}
    sources |= {
        "history_date": quote("created_at"),
        "history_change_reason": "%s",
        "history_type": "%s",
        "history_user_id": quote("voter_id"),
    }
    history_table, vote_table = quote(Vote.history.model._meta.db_table), quote(Vote._meta.db_table)
    sql = (
        f"INSERT INTO {history_table} ({', '.join(map(quote, sources))}) "  # noqa: S608 - names from the models
        f"SELECT {', '.join(sources.values())} FROM {vote_table} WHERE {quote('round_id')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ["Vote cast", "+", round_.id])


# Replacing a draft -------------------------------------------------------------------------------


def delete_draft(draft: Draft) -> None:
    """Delete a generated draft with its votes, comments, amendments and clauses and their history.

    Those are deleted a statement per table: Django's delete would load every row (a million votes
    at 10x) to write a "-" history row for each, and the history of a generated draft is no record
    worth keeping. Order matters: votes, results and snapshots protect clauses and amendments. What
    is left (memberships, sections, rounds, the draft) is small and goes through Django's delete.
    """
    rounds = Round.objects.filter(draft=draft).values("id")
    clauses = Clause.objects.filter(draft=draft).values("id")
    amendments = Amendment.objects.filter(clause__draft=draft).values("id")
    _raw_delete(Vote.objects.filter(round__in=rounds))
    _raw_delete(Vote.history.filter(round_id__in=rounds))
    ItemResult.objects.filter(round__in=rounds).delete()
    Snapshot.objects.filter(draft=draft).delete()
    CommentDisposition.objects.filter(round__in=rounds).delete()
    Subscription.objects.filter(clause__draft=draft).delete()
    Event.objects.filter(followers_of_clause__draft=draft).delete()
    _raw_delete(Comment.history.filter(Q(clause_id__in=clauses) | Q(amendment_id__in=amendments)))
    _raw_delete(Comment.objects.filter(Q(clause__in=clauses) | Q(amendment__in=amendments)))
    _raw_delete(Amendment.history.filter(clause_id__in=clauses))
    _raw_delete(Amendment.objects.filter(id__in=amendments))
    _raw_delete(Clause.history.filter(draft_id=draft.id))
    _raw_delete(Clause.objects.filter(draft=draft))
    draft.delete()


def _raw_delete(queryset) -> None:
    # One DELETE statement, without the per-row signals (and so without history rows): Django's
    # own fast path for deletes, which a model with history never takes by itself.
    queryset._raw_delete(queryset.db)


# Words -------------------------------------------------------------------------------------------

SECTION_THEMES = [
    "General principles",
    "Application of international law",
    "Protection of critical infrastructure",
    "Security of the ICT supply chain",
    "Vulnerabilities and their disclosure",
    "Incident response and cooperation",
    "Human rights online",
    "Confidence-building measures",
    "Capacity building",
    "Implementation and review",
]
TOPICS = [
    "Protection of critical infrastructure",
    "Integrity of the supply chain",
    "Responsible reporting of vulnerabilities",
    "Cooperation on incident response",
    "Attribution of ICT incidents",
    "Human rights online",
    "Protection of electoral processes",
    "Health-care facilities",
    "Financial market infrastructure",
    "The public core of the Internet",
    "Emergency response teams",
    "Points of contact",
    "Exchange of information",
    "Due diligence",
    "Non-State actors and proxies",
    "Peaceful settlement of disputes",
    "Transparency of national policies",
    "Data held by public authorities",
    "Industrial control systems",
    "Submarine cables and satellites",
    "Assistance on request",
    "Regional cooperation",
    "Review and follow-up",
]
# Mid-sentence forms; a sentence that starts with one capitalises it.
SUBJECTS = [
    "States",
    "each State",
    "participating States",
    "States and other stakeholders",
    "operators of critical infrastructure",
    "providers of ICT products and services",
    "national computer emergency response teams",
    "the private sector",
    "regional organizations",
    "civil society organizations",
]
PLAIN_MODALS = ["should", "shall", "must", "may"]
MODALS = [*PLAIN_MODALS, "should endeavour to", "should, as appropriate,", "should, in good faith,"]
LEAD_MODALS = ["should", "shall", "should endeavour to"]  # before a list of what they do: "States should:"
ACTIONS = [
    "protect",
    "refrain from conducting or knowingly supporting activity that damages",
    "take appropriate measures to secure",
    "cooperate to strengthen the resilience of",
    "share timely information about threats to",
    "respond to appropriate requests for assistance concerning",
    "respect the integrity of",
    "report vulnerabilities affecting",
    "encourage the responsible disclosure of weaknesses in",
    "establish points of contact for incidents affecting",
    "not use proxies to disrupt",
    "consider all relevant information before attributing incidents involving",
]
OBJECTS = [
    "critical infrastructure that provides services to the public",
    "the general availability and integrity of the Internet",
    "ICT supply chains",
    "health-care and medical facilities",
    "electoral systems and processes",
    "financial market infrastructure",
    "the emergency response teams of other States",
    "personal data held by public authorities",
    "industrial control systems",
    "submarine communications cables",
    "satellite and space-based systems",
    "cross-border flows of data",
]
QUALIFIERS = [
    "in accordance with international law",
    "consistent with the Charter of the United Nations",
    "with full respect for human rights and fundamental freedoms",
    "taking into account national circumstances and capacities",
    "without prejudice to existing bilateral arrangements",
    "in a timely and transparent manner",
    "through existing regional and multilateral channels",
    "to the extent permitted by national law",
    "with due regard to the interests of other States",
    "on a voluntary and reciprocal basis",
    "while protecting the privacy of individuals",
]
OPENINGS = [
    "Recognising the growing interdependence of national networks",
    "Where an incident affects more than one jurisdiction",
    "In times of crisis",
    "Upon request by an affected State",
    "Bearing in mind the challenges of attribution",
    "To reduce the risk of misperception and escalation",
    "Within six months of the adoption of this code",
]
EDIT_REASONS = [
    "Tightened the wording",
    "Editorial: consistent terms",
    "Took in comments from the first reading",
    "Aligned with the 2015 report of the Group of Governmental Experts",
    "Narrowed the scope",
    "Clarified who is bound",
    "Compromise text from the informal consultations",
    "Moved the qualifier to the end",
]
RATIONALES = [
    "Aligns the clause with language already agreed in the 2015 report.",
    "The present text is broader than existing international law.",
    "Makes clear that the obligation also binds non-State actors.",
    "Avoids duplication with the section on confidence-building measures.",
    "Stakeholders asked for a firmer commitment in the consultations.",
    "A shorter text is more likely to find consensus.",
    "",
]
COMMENT_LINES = {
    Stance.SUPPORT: [
        "We support this wording.",
        "This reflects the consensus reached in the working group.",
        "Strong support: the text is balanced and implementable.",
        "Our delegation can accept the clause as drafted.",
    ],
    Stance.OPPOSE: [
        "We cannot accept this language.",
        "The obligation goes beyond what existing international law requires.",
        "This would impose costs that smaller operators cannot bear.",
        "The clause should be deleted; it duplicates an earlier one.",
    ],
    Stance.CONCERN: [
        "The scope of critical infrastructure is unclear here.",
        "We are concerned that this could be read as permitting surveillance.",
        "The timeline is not realistic for developing countries.",
        "Without a definition the clause will be applied unevenly.",
    ],
    Stance.QUESTION: [
        "Does this apply to non-State actors as well?",
        "How would compliance with this clause be assessed?",
        "Who decides what counts as an appropriate request?",
        "Is the qualifier meant to cover the whole sentence?",
    ],
    Stance.NEUTRAL: [
        "Noted.",
        "See the comparable provision in the 2021 report.",
        "For reference, the regional framework uses similar language.",
        "We will consult our capital and come back on this.",
    ],
}
FOLLOW_UPS = [
    "We would welcome the views of other stakeholder groups.",
    "A footnote could record the different national practices.",
    "Industry has raised the same point in the consultations.",
    "This matters most for States with limited capacity.",
    "",
    "",
]


@dataclass(frozen=True)
class Wording:
    """A clause's words as parts: sentences of one paragraph, or (``listed``) a lead-in, the items of a
    Markdown list and a closing sentence."""

    parts: tuple[str, ...]
    listed: bool = False

    @property
    def text(self) -> str:
        if not self.listed:
            return " ".join(self.parts)
        lead, *items, closing = self.parts
        lines = [f"- {item}{';' if n < len(items) else '.'}" for n, item in enumerate(items, 1)]
        return f"{lead}\n\n" + "\n".join(lines) + f"\n\n{closing}"

    @property
    def words(self) -> int:
        return len(self.text.split())


class Prose:
    """Plausible cyber-norm wording from the word lists above, the same for the same generator."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def pick(self, weighted: list[tuple]):
        values, weights = zip(*weighted, strict=True)
        return self.rng.choices(values, weights)[0]

    def title(self) -> str:
        return self.rng.choice(TOPICS)

    def rationale(self) -> str:
        return self.rng.choice(RATIONALES)

    def edit_reason(self) -> str:
        return self.rng.choice(EDIT_REASONS)

    def sentence(self) -> str:
        r = self.rng
        subject, modal, action, object_ = r.choice(SUBJECTS), r.choice(MODALS), r.choice(ACTIONS), r.choice(OBJECTS)
        if r.random() < 0.3:
            return f"{r.choice(OPENINGS)}, {subject} {modal} {action} {object_}."
        if r.random() < 0.15:
            return f"For the purposes of this clause, {object_} include {r.choice(OBJECTS)} and {r.choice(OBJECTS)}."
        return _capitalised(f"{subject} {modal} {action} {object_} {r.choice(QUALIFIERS)}.")

    def item(self) -> str:
        r = self.rng
        return f"{r.choice(ACTIONS)} {r.choice(OBJECTS)}" + (f" {r.choice(QUALIFIERS)}" if r.random() < 0.5 else "")

    def versions(self, count: int) -> list[Wording]:
        """``count`` wordings of one clause of 60 to 120 words, each one edit away from the one before."""
        listed = self.rng.random() < 0.2
        while True:
            if listed:
                lead = _capitalised(f"{self.rng.choice(SUBJECTS)} {self.rng.choice(LEAD_MODALS)}:")
                items = [self.item() for _ in range(self.rng.randint(3, 4))]
                wording = Wording((lead, *items, self.sentence()), listed=True)
            else:
                wording = Wording(tuple(self.sentence() for _ in range(self.rng.randint(3, 6))))
            if MIN_WORDS <= wording.words <= MAX_WORDS:
                break
        wordings = [wording]
        while len(wordings) < count:
            wordings.append(self.revise(wordings[-1]))
        return wordings

    def revise(self, wording: Wording) -> Wording:
        """A different wording, still 60 to 120 words: a sentence or list item rewritten, one modal
        verb changed, or a qualifier added."""
        while True:
            parts = list(wording.parts)
            index = self.rng.randrange(1 if wording.listed else 0, len(parts))
            words = parts[index].split(" ")
            modals = [i for i, word in enumerate(words) if word in PLAIN_MODALS]
            draw = self.rng.random()
            if modals and draw < 0.35:
                words[self.rng.choice(modals)] = self.rng.choice(PLAIN_MODALS)
                parts[index] = " ".join(words)
            elif draw < 0.55 and parts[index].endswith(".") and parts[index].count(",") < 2:
                parts[index] = f"{parts[index][:-1]}, {self.rng.choice(QUALIFIERS)}."
            elif wording.listed and index < len(parts) - 1:
                parts[index] = self.item()
            else:
                parts[index] = self.sentence()
            revised = Wording(tuple(parts), wording.listed)
            if revised.text != wording.text and MIN_WORDS <= revised.words <= MAX_WORDS:
                return revised

    def amend(self, wording: Wording) -> str:
        """An amendment's text: the clause's wording with one or two edits."""
        for _ in range(self.rng.randint(1, 2)):
            wording = self.revise(wording)
        return wording.text

    def quote(self, text: str) -> str:
        """A few consecutive words of one line of ``text``, exactly as they stand in it."""
        line = self.rng.choice([line for line in text.splitlines() if line.strip()])
        words = line.removeprefix("- ").split(" ")
        length = min(len(words), self.rng.randint(3, 8))
        start = self.rng.randrange(len(words) - length + 1)
        return " ".join(words[start : start + length])

    def comment(self, stance: str) -> str:
        return f"{self.rng.choice(COMMENT_LINES[stance])} {self.rng.choice(FOLLOW_UPS)}".strip()


def _capitalised(text: str) -> str:
    return text[0].upper() + text[1:]


def _section_title(index: int) -> str:
    theme = SECTION_THEMES[index % len(SECTION_THEMES)]
    part = index // len(SECTION_THEMES)
    return theme if part == 0 else f"{theme} ({part + 1})"
