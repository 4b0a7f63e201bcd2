"""Reads that join or filter by visibility; each returns querysets ready to render.

``from drafting import selectors; selectors.clause_for(...)`` reaches every read below; each lives in
the module of its concern:

- ``lookups``: what a person may see, with their standing in its draft (``draft_for``,
  ``clause_for``, ``round_for``, ``amendment_for``, ``comment_for``, ``snapshot_for``,
  ``export_job_for``, ``drafts_visible_to``) and the reads that come with it (``draft_with_text``,
  ``clause_history``, ``clause_version``, ``draft_members``, ``amendments_of``, ``comments_on``,
  ``follows``).
- ``rounds``: which round is meant (``active_round``, ``current_round``, ``round_of_comment``) and
  the phase an action meets (``phase_now``).
- ``subjects``: what the rules look at (``draft_subject``, ``clause_subject``,
  ``amendment_subject``, ``comment_subject``, ``round_subject``, ``draft_phase``; the voter's:
  ``as_voter``, ``who_they_are``) and the answers pages read from them (``may_ask_to_join``,
  ``comment_body_visible``, ``comment_body_published``).
- ``results``: a round's counts and results (``tallies``, ``tallies_visible``, ``my_votes``,
  ``round_results``, ``closed_round_rows``, ``results_naming``, ``round_participation``,
  ``round_dispositions``).
- ``comparison``: two snapshots compared clause by clause (``compare_snapshots``,
  ``compare_clauses``).

The pages' reads have modules of their own, imported by name (``selectors.pages``, ``ballot``,
``changes``, ``comment_filters``, ``join_requests``, ``overview``, ``preview``), as have the hot
reads in one SQL statement each (``selectors.reading``).
"""

from .comparison import compare_clauses, compare_snapshots
from .lookups import (
    amendment_for,
    amendments_of,
    clause_for,
    clause_history,
    clause_version,
    comment_for,
    comments_on,
    delegations_in,
    draft_for,
    draft_members,
    draft_with_text,
    drafts_visible_to,
    export_job_for,
    follows,
    round_for,
    snapshot_for,
)
from .results import (
    closed_round_rows,
    my_votes,
    results_naming,
    round_dispositions,
    round_participation,
    round_results,
    tallies,
    tallies_visible,
)
from .rounds import active_round, current_round, phase_now, round_of_comment
from .subjects import (
    amendment_subject,
    as_voter,
    clause_subject,
    comment_body_published,
    comment_body_visible,
    comment_subject,
    draft_phase,
    draft_subject,
    may_ask_to_join,
    round_subject,
    who_they_are,
)

__all__ = [
    "active_round",
    "amendment_for",
    "amendment_subject",
    "amendments_of",
    "as_voter",
    "clause_for",
    "clause_history",
    "clause_subject",
    "clause_version",
    "closed_round_rows",
    "comment_body_published",
    "comment_body_visible",
    "comment_for",
    "comment_subject",
    "comments_on",
    "compare_clauses",
    "compare_snapshots",
    "delegations_in",
    "current_round",
    "draft_for",
    "draft_members",
    "draft_phase",
    "draft_subject",
    "draft_with_text",
    "drafts_visible_to",
    "export_job_for",
    "follows",
    "may_ask_to_join",
    "my_votes",
    "phase_now",
    "results_naming",
    "round_dispositions",
    "round_for",
    "round_of_comment",
    "round_participation",
    "round_results",
    "round_subject",
    "snapshot_for",
    "tallies",
    "tallies_visible",
    "who_they_are",
]
