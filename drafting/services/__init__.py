"""Every write in drafting goes through these services (one module per object)."""

from .amendments import amendment_submit, amendment_suggest, amendment_withdraw
from .clauses import AT_START, clause_create, clause_revert, clause_update
from .comments import comment_dispose, comment_edit, comment_hide, comment_post, comment_restore
from .cosponsors import (
    cosponsorship_accept,
    cosponsorship_decline,
    cosponsorship_join,
    cosponsorship_set,
    cosponsorship_withdraw,
)
from .drafts import draft_create, draft_member_remove, draft_member_set, draft_update
from .reminders import vote_remind
from .round_close import round_close
from .rounds import (
    round_create,
    round_open,
    round_start_voting,
    round_update,
    rounds_advance_on_schedule,
    rounds_warn_closing_soon,
)
from .sections import section_create, section_update
from .snapshots import snapshot_create
from .translations import translation_save, translator_appoint, translator_remove
from .votes import vote_cast

__all__ = [
    "AT_START",
    "amendment_submit",
    "amendment_suggest",
    "amendment_withdraw",
    "clause_create",
    "clause_revert",
    "clause_update",
    "comment_dispose",
    "comment_edit",
    "comment_hide",
    "comment_post",
    "comment_restore",
    "cosponsorship_accept",
    "cosponsorship_decline",
    "cosponsorship_join",
    "cosponsorship_set",
    "cosponsorship_withdraw",
    "draft_create",
    "draft_member_remove",
    "draft_member_set",
    "draft_update",
    "round_close",
    "round_create",
    "round_open",
    "round_start_voting",
    "round_update",
    "rounds_advance_on_schedule",
    "rounds_warn_closing_soon",
    "snapshot_create",
    "section_create",
    "section_update",
    "translation_save",
    "translator_appoint",
    "translator_remove",
    "vote_cast",
    "vote_remind",
]
