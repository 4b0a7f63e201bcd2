"""Generating a benchmark draft: its people, draft, sections and round, then its clauses in batches,
then the votes, each stage timed."""

import math
import random
import time
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction

from codeofconduct.errors import Conflict, InvalidInput
from codeofconduct.history import save_with_history
from drafting import services
from drafting.models import ClauseStatus, Counting, Draft, DraftMembership, Role, Round, Visibility, VotingRule

from .clauses import CLAUSES_PER_SECTION, VERSIONS, write_amendments, write_clauses, write_comments
from .delete import delete_draft
from .people import ensure_person, ensure_voters
from .prose import Prose, section_title
from .rows import BATCH
from .votes import copy_vote_history, write_votes

CLAUSES_PER_SCALE = 100
CLAUSES_PER_BATCH = 250  # written, with their versions, amendments and comments, before the next
DEFAULT_VOTERS = 200
QUORUM = 10
SEED = 2026
ADMIN = "bench-admin"
MODERATOR = "bench-moderator"


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

    def summary(self, seconds: float) -> list[str]:
        """What was made, as ``manage.py generate_draft`` prints it: where first, then the counts and
        the time of each stage out of ``seconds`` in all."""
        lines = [
            f"Generated “{self.draft.title}” at /drafts/{self.draft.slug}/ in {seconds:.1f} s.",
            f"  draft: {self.draft.slug} (id {self.draft.pk})",
            f"  round: {self.round.pk} ({self.round.phase})",
            f"  voters: {self.voters:,}",
            f"  clauses: {self.clauses:,} ("
            + ", ".join(f"{n:,} {status}" for status, n in self.statuses.most_common())
            + f"), versions: {self.versions:,}",
            f"  comments: {self.comments:,}, amendments: {self.amendments:,}",
            f"  votes: {self.votes:,} (and as many history rows)",
        ]
        # The rest is mostly the commit, where PostgreSQL checks the votes' deferred foreign keys.
        rest = seconds - sum(self.seconds.values())
        stages = [*(f"{name} {spent:.1f}" for name, spent in self.seconds.items()), f"commit and the rest {rest:.1f}"]
        return [*lines, "  seconds: " + ", ".join(stages)]


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
        admin, moderator = ensure_person(ADMIN, admin=True), ensure_person(MODERATOR)
        people = ensure_voters(voters, by=admin)
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
            services.section_create(draft=draft, title=section_title(index), by=moderator)
            for index in range(math.ceil(count / CLAUSES_PER_SECTION))
        ]
        round_ = services.round_create(
            draft=draft,
            by=moderator,
            title="Benchmark reading",
            voting_rule=VotingRule.SIMPLE_MAJORITY,
            # Every voter's vote is their own, as the figures measured before rounds could count
            # one voice per delegation.
            counting=Counting.PER_PERSON,
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
            written = write_clauses(numbers, sections, prose, draft=draft, by=moderator)
            clauses = [clause for clause, _ in written]
        with stages("amendments"):
            amendments = write_amendments(written, people, prose, round_=round_)
        with stages("comments"):
            generated.comments += write_comments(clauses, people, prose)
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
        generated.votes = write_votes(round_, ballot, people, random.Random(SEED + 1))
    with stages("vote history"):
        copy_vote_history(round_)
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
