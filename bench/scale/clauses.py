"""A benchmark draft's clauses with their ten versions of history, and the amendments and comments
on each, written in bulk with a history row each."""

import copy
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from drafting.markdown import render_markdown
from drafting.models import Amendment, AmendmentKind, Clause, ClauseStatus, Comment, Draft, Round, Stance

from .people import Voter
from .prose import Prose, Wording
from .rows import BATCH, history

CLAUSES_PER_SECTION = 10
VERSIONS = 10
COMMENTS = 20
REPLIES = 5  # of the comments, answers to one of the others on the same clause
QUOTING = 3  # of the comments, anchored to words of the clause
AMENDMENTS = 5

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


def write_clauses(numbers: range, sections, prose: Prose, *, draft: Draft, by: User) -> list[tuple[Clause, Wording]]:
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


def write_amendments(
    clauses: list[tuple[Clause, Wording]], people: list[Voter], prose: Prose, *, round_: Round
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
    history(Amendment, amendments, reason="Amendment submitted")
    return amendments


def write_comments(clauses: list[Clause], people: list[Voter], prose: Prose) -> int:
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
    history(Comment, comments, reason="Comment posted")
    for reply, parent in zip(replies, answered, strict=True):
        reply.parent = parent
    Comment.objects.bulk_create(replies, batch_size=BATCH)
    history(Comment, replies, reason="Reply posted")
    return len(comments) + len(replies)
