"""What the pages show beside the text: comment threads, the vote control, what the reader may do.

Every "may they?" here is asked of ``drafting.rules``; a page never decides a rule itself.
"""

from django.urls import reverse

from accounts.models import StakeholderGroup

from .. import rules
from ..competing import competing_amendments
from ..models import (
    OUT_OF_THE_TEXT,
    READING_ORDER,
    Amendment,
    AmendmentStatus,
    Clause,
    Comment,
    ItemResult,
    Phase,
    Stance,
    paragraph_ref,
)
from ..naming import name_on_page
from .comment_filters import comment_filter, filter_comments, rounds_to_filter_by
from .lookups import amendments_of, comments_on
from .results import my_votes, tallies, tallies_visible
from .rounds import active_round, current_round, phase_now
from .subjects import (
    amendment_subject,
    as_voter,
    clause_subject,
    comment_body_visible,
    comment_subject,
    may_ask_to_join,
    who_they_are,
)


def comment_threads(comments) -> list:
    """Nest a flat list of comments (one query) into threads: each gets ``thread_replies``."""
    by_id = {c.id: c for c in comments}
    roots = []
    for c in comments:
        c.thread_replies = []
    for c in comments:
        parent = by_id.get(c.parent_id)
        (parent.thread_replies if parent else roots).append(c)
    return roots


def comments_context(user, standing, *, clause=None, amendment=None, named=None, params=None) -> dict:
    """The comment threads on a clause or an amendment, with what this reader may do there.

    Each comment gets ``named``: its author as the naming rule shows them to this reader
    (``drafting.naming``). ``named``: more of the page to name at the same time (``name_on_page``'s
    amendments, clauses and history). ``params``: the page's query string, narrowing the threads by
    stance, group and round (``comment_filters``; InvalidInput on a bad value).
    """
    draft = clause.draft if clause is not None else amendment.clause.draft
    wanted = comment_filter(params or {}, draft)
    comments = list(filter_comments(comments_on(clause=clause, amendment=amendment), wanted))
    for comment in comments:
        comment.body_visible = comment_body_visible(user, comment, standing)
        comment.can_edit = rules.allowed("comment_edit", comment_subject(user, comment, standing))
    name_on_page(user, draft, comments=comments, **(named or {}))
    subject = rules.Subject(standing)
    return {
        "comments": comment_threads(comments),
        "comment_count": len(comments),
        "comment_target": {"kind": "clause", "id": clause.id} if clause else {"kind": "amendment", "id": amendment.id},
        "can_comment": rules.allowed("comment_post", subject),
        "can_moderate": rules.allowed("comment_hide", subject),
        **comment_filter_context(wanted, draft, clause=clause, amendment=amendment),
    }


def comment_filter_context(wanted, draft, *, clause=None, amendment=None) -> dict:
    """The filter form above a thread: its choices (one query, for the rounds) and where it sends."""
    url = reverse("clause-detail", args=[clause.id]) if clause else reverse("amendment-detail", args=[amendment.id])
    return {
        "comment_filter": wanted,
        "comment_filter_choices": {
            "stances": Stance.choices,
            "groups": StakeholderGroup.choices,
            "rounds": list(rounds_to_filter_by(draft)),
        },
        "comments_url": url,
    }


def vote_subject(user, item, kind: str, standing, round_) -> rules.Subject:
    """The vote rule's view of this reader and item; verification is looked up only when it matters."""
    draft = item.draft if kind == "clause" else item.clause.draft
    active = round_ if round_ is not None and round_.phase in (Phase.OPEN, Phase.VOTING) else None
    subject_of = clause_subject if kind == "clause" else amendment_subject
    return as_voter(user, subject_of(user, item, standing, phase=phase_now(draft, active)), active)


def vote_control(user, draft, standing, kind: str, item) -> dict:
    """What the vote control shows for one clause or amendment: the current round's vote while the
    item is on its ballot; otherwise the vote of the round that last decided it (none if no round
    ever did), never the tally of a round that did not vote on it."""
    round_ = current_round(draft)
    if round_ is not None and (round_.phase == Phase.CLOSED or item.status not in rules.VOTABLE):
        results = ItemResult.objects.filter(**{kind: item}).select_related("round")
        decided = results.order_by("-round__closed_at", "-id").first()
        round_ = decided.round if decided is not None else None
    key = (kind, item.id)
    visible = tallies_visible(round_, standing)
    tally = None
    if round_ is not None and visible and round_.phase in (Phase.VOTING, Phase.CLOSED):
        tally = tallies(round_, **{f"{kind}s": [item]}).get(key, {"yes": 0, "no": 0, "abstain": 0})
    subject = vote_subject(user, item, kind, standing, round_)
    # On the ballot now: the buttons show to those the rule lets vote; everyone else signed in is told
    # why not in the rule's words (who they are first), and how to ask to take part where they may.
    votable = round_ is not None and round_.phase == Phase.VOTING and subject.state in rules.VOTABLE
    may_vote = rules.allowed("vote", subject)
    told = votable and not may_vote and user.is_authenticated
    return {
        "vote_kind": kind,
        "vote_item": item,
        "vote_round": round_,
        "vote_for_delegation": round_ is not None and round_.per_delegation,
        "votable": votable,
        "may_vote": may_vote,
        "vote_refused": rules.refusal("vote", who_they_are(user, subject)).message if told else None,
        "ask_to_join": reverse("draft-join", args=[draft.slug]) if told and may_ask_to_join(draft, standing) else None,
        "my_vote": my_votes(user, round_, **{f"{kind}s": [item]}).get(key),
        "tally": tally,
        "tallies_hidden": round_ is not None and not visible,
    }


def clause_abilities(user, clause, standing) -> dict:
    """What the reader may do on a clause's page."""
    round_ = active_round(clause.draft)
    subject = clause_subject(user, clause, standing, phase=phase_now(clause.draft, round_))
    can = rules.abilities(subject, "clause_edit", "clause_set_status", "clause_revert", "amend")
    return {**can, "round": round_}


def paragraphs_to_follow(draft):
    """The paragraphs of the text a new one may be put after, in reading order, for the propose
    form's position (one query): ``(id, section id, section title, ref, title)`` each."""
    paragraphs = Clause.objects.filter(draft=draft).exclude(status__in=OUT_OF_THE_TEXT).order_by(*READING_ORDER)
    return [
        (pk, section_id, section_title, paragraph_ref(number, suffix, preambular=preambular), title)
        for pk, section_id, section_title, number, suffix, preambular, title in paragraphs.values_list(
            "pk", "section_id", "section__title", "number", "number_suffix", "preambular", "title"
        )
    ]


def amendments_with_competition(clause) -> list[Amendment]:
    """The clause's amendments, each with ``competes_with``: the ids of those changing the same words."""
    amendments = list(amendments_of(clause))
    competing = competing_amendments(amendments, clause.text)
    for amendment in amendments:
        amendment.competes_with = competing[amendment.id]
    return amendments


def amendment_abilities(user, amendment, standing, current) -> dict:
    """What the reader may do on an amendment's page; ``current`` is the draft's current round."""
    active = current if current is not None and current.phase in (Phase.OPEN, Phase.VOTING) else None
    subject = amendment_subject(user, amendment, standing, phase=phase_now(amendment.clause.draft, active))
    return rules.abilities(subject, "amendment_withdraw")


def console_amendments(draft) -> tuple[list[Amendment], list[Amendment]]:
    """Amendments awaiting decision that compete with another, and those that conflicted at merge."""
    amendments = list(
        Amendment.objects.filter(
            clause__draft=draft, status__in=(AmendmentStatus.SUBMITTED, AmendmentStatus.CONFLICTED)
        )
        .select_related("clause", "author", "organization")
        .order_by("clause__number", "created_at")
    )
    by_clause = {}
    for amendment in amendments:
        by_clause.setdefault(amendment.clause_id, []).append(amendment)
    competing = []
    for clause_amendments in by_clause.values():
        pairs = competing_amendments(clause_amendments, clause_amendments[0].clause.text)
        competing += [a for a in clause_amendments if pairs[a.id]]
    return competing, [a for a in amendments if a.status == AmendmentStatus.CONFLICTED]


def moderation_queue(round_):
    """The comments of one round, newest first, for its console (one query).

    A round's comments are those made after the draft's previous round closed and, once it is
    closed, before it closed: each comment is in one round's queue, and a closed round's console
    never lists what was said in the next. A comment with a disposition in this round stays in it.
    """
    from datetime import UTC, datetime

    from django.db.models import Q, Subquery, Value
    from django.db.models.functions import Coalesce

    from ..models import Round

    draft = round_.draft
    earlier = Round.objects.filter(draft=draft, closed_at__isnull=False).exclude(pk=round_.pk)
    if round_.closed_at is not None:
        earlier = earlier.filter(closed_at__lt=round_.closed_at)
    previous_close = Coalesce(
        Subquery(earlier.order_by("-closed_at").values("closed_at")[:1]), Value(datetime.min.replace(tzinfo=UTC))
    )
    span = Q(created_at__gt=previous_close)
    if round_.closed_at is not None:
        span &= Q(created_at__lte=round_.closed_at)
    return (
        Comment.objects.filter(Q(clause__draft=draft) | Q(amendment__clause__draft=draft))
        .filter(span | Q(disposition__round=round_))
        .select_related("author", "clause", "amendment__clause", "disposition")
        .order_by("-created_at", "-id")
    )
