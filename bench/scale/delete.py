"""Deleting a generated draft (``--replace``), a statement per table."""

from django.db.models import Q

from drafting.models import Amendment, Clause, Comment, CommentDisposition, Draft, ItemResult, Round, Snapshot, Vote
from notifications.models import Event, Subscription


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
