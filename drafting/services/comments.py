"""Comments: posted by members of the draft, edited by their authors, hidden (never deleted) by moderators."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from codeofconduct.errors import Conflict, InvalidInput
from codeofconduct.history import save_with_history
from codeofconduct.languages import recorded
from notifications import services as notifications

from .. import quotes, rules
from ..models import Comment, CommentDisposition, Disposition, Stance
from ..selectors import active_round, amendment_for, clause_for, comment_for, comment_subject, round_of_comment
from .common import acts_as_chair, choose, clean_text

MAX_COMMENT = 10_000
MAX_QUOTE = 2_000


@transaction.atomic
def comment_post(
    *,
    by: User,
    body: str,
    stance: str = Stance.NEUTRAL,
    clause_id: int | None = None,
    amendment_id: int | None = None,
    parent_id: int | None = None,
    quote: str = "",
    speaking_as: str | None = None,
) -> Comment:
    """Comment on a clause or an amendment, or reply to a comment on it. A moderator's comment is
    the Chair's unless they speak for their delegation on it.

    A ``quote`` anchors the comment to a span of the text it is about: it must be found in the words
    the page shows (across formatting, line breaks and the drawn brackets), and is kept as those words.
    """
    if (clause_id is None) == (amendment_id is None):
        raise InvalidInput(_("Comment on a clause or on an amendment."), field="clause")
    if clause_id is not None:
        target, standing_ = clause_for(by, clause_id)
    else:
        target, standing_ = amendment_for(by, amendment_id)
    rules.check("comment_post", rules.Subject(standing_))
    as_chair = acts_as_chair(rules.Subject(standing_), speaking_as)
    body = clean_text(body, field="body", limit=MAX_COMMENT)
    choose(stance, Stance, field="stance")
    quote = clean_text(quote, field="quote", limit=MAX_QUOTE, required=False)
    if quote:
        shown = quotes.quotable_texts(**{"clause" if clause_id is not None else "amendment": target})
        quote = quotes.found_quote(quote, shown)
    parent = None
    if parent_id is not None:
        parent = Comment.objects.filter(pk=parent_id).first()
        same_target = parent is not None and (parent.clause_id, parent.amendment_id) == (clause_id, amendment_id)
        if not same_target:
            raise InvalidInput(_("Reply to a comment on the same text."), field="parent")
        rules.check("comment_reply", rules.Subject(standing_, state=rules.HIDDEN if parent.hidden else rules.VISIBLE))
    comment = Comment(
        clause_id=clause_id,
        amendment_id=amendment_id,
        parent=parent,
        author=by,
        body=body,
        stance=stance,
        quote=quote,
        as_chair=as_chair,
    )
    save_with_history(comment, by=by, reason="Reply posted" if parent else "Comment posted")
    clause = target if clause_id is not None else target.clause
    round_ = active_round(clause.draft)
    name = notifications.who(by, draft_id=clause.draft_id, round_=round_, as_chair=as_chair)
    on = (
        f"clause {clause.ref} “{clause.title}”"
        if clause_id is not None
        else f"amendment {target.id} to clause {clause.ref}"
    )
    url = (
        reverse("clause-detail" if clause_id is not None else "amendment-detail", args=[target.pk])
        + f"#comment-{comment.pk}"
    )
    notifications.follow(user=by, clause=clause)
    told_directly = []
    if parent is not None and parent.author_id != by.id:
        notifications.notify(
            kind="comment_reply",
            draft=clause.draft,
            actor=by,
            recipients=[parent.author_id],
            message=f"{name} replied to your comment on {on}.",
            url=url,
        )
        told_directly.append(parent.author_id)
    amendment_author = [target.author_id] if amendment_id is not None else []
    with recorded():
        stance = comment.get_stance_display().lower()
    notifications.notify(
        kind="comment_posted",
        draft=clause.draft,
        actor=by,
        followers_of_clause=clause,
        recipients=amendment_author,
        exclude=told_directly,
        message=f"{name} commented on {on} ({stance}).",
        url=url,
    )
    return comment


@transaction.atomic
def comment_edit(*, comment_id: int, by: User, body: str, stance: str | None = None) -> Comment:
    comment, standing_ = comment_for(by, comment_id, for_update=True)
    rules.check("comment_edit", comment_subject(by, comment, standing_))
    comment.body = clean_text(body, field="body", limit=MAX_COMMENT)
    if stance is not None:
        comment.stance = choose(stance, Stance, field="stance")
    comment.edited_at = timezone.now()
    save_with_history(comment, by=by, reason="Edited by the author")
    return comment


@transaction.atomic
def comment_hide(*, comment_id: int, by: User, reason: str) -> Comment:
    """Hide a comment's body from everyone but its author and the moderators; the reason stays on record."""
    comment, standing_ = comment_for(by, comment_id, for_update=True)
    rules.check("comment_hide", rules.Subject(standing_))
    comment.hidden_reason = clean_text(reason, field="reason", limit=1000)
    comment.hidden, comment.hidden_by, comment.hidden_at = True, by, timezone.now()
    save_with_history(comment, by=by, reason=f"Hidden: {comment.hidden_reason}")
    return comment


@transaction.atomic
def comment_restore(*, comment_id: int, by: User, reason: str = "") -> Comment:
    comment, standing_ = comment_for(by, comment_id, for_update=True)
    rules.check("comment_restore", rules.Subject(standing_))
    if not comment.hidden:
        return comment
    comment.hidden = False
    reason = clean_text(reason, field="reason", limit=1000, required=False)
    save_with_history(comment, by=by, reason=f"Restored{': ' + reason if reason else ''}")
    return comment


@transaction.atomic
def comment_dispose(*, comment_id: int, by: User, disposition: str, reason: str = "") -> CommentDisposition:
    """Record what the moderators did with a comment; published with the round's results.

    It is filed under the round the comment was made in, whichever console it is recorded from:
    a disposition of a closed round's comment stays with that round's results.
    """
    comment, standing_ = comment_for(by, comment_id, for_update=True)
    rules.check("comment_dispose", rules.Subject(standing_))
    choose(disposition, Disposition, field="disposition")
    reason = clean_text(reason, field="reason", limit=500, required=False)
    draft = comment.clause.draft if comment.clause_id else comment.amendment.clause.draft
    round_ = round_of_comment(comment, draft)
    if round_ is None:
        raise Conflict(_("Dispositions are recorded for a consultation round; this draft has none yet."), phase="none")
    record = CommentDisposition.objects.filter(comment=comment).first() or CommentDisposition(comment=comment)
    record.round, record.disposition, record.reason, record.decided_by = round_, disposition, reason, by
    save_with_history(record, by=by, reason=f"Disposition: {disposition}")
    return record
