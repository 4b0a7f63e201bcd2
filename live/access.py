"""What ends a live stream at once: the rows whose change may end someone's right to follow it.

A stream asks again who it serves when a moderator's idle time runs out, and every
``live.views.RECHECK`` seconds or so; that is how it ends when a session or a token expires. When a
person or a draft changes, the streams
concerned ask at once instead (``live.services.ACCESS``, heard by ``live.bus``): on commit, whoever
made the change (a page, the API, the admin, a command), so:

- a session deleted (signing out, signing in again, a moderator's idle time-out);
- a person changed (a new password, deactivated, made or no longer an administrator) or removed;
- a token changed or revoked;
- a draft membership given, changed or taken away;
- a draft deleted, or its visibility changed (``drafting.services.draft_update`` says so; other
  edits of a draft change no one's right): each of its streams asks within
  ``live.bus.ACCESS_SPREAD`` seconds, so thousands do not ask at the same instant.

The session's cached copy is gone before its row (``accounts.sessions``), so a stream that asks
on hearing of it finds it gone.

What each stream then asks is the rule of every page (``live.views._reader_again``); this module
only says when. A bulk ``update()`` sends no signal: such a change ends a stream at its next check.
"""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from accounts.models import ApiToken, User
from drafting.models import Draft, DraftMembership

from .services import ACCESS, access_changed, told_people

# Signed in again: only the moment is written, which changes no one's right.
_SIGNED_IN = frozenset({"last_login"})


def _session_deleted(sender, instance: Session, **kwargs) -> None:
    if instance.expire_date <= timezone.now():
        return  # expired: its streams end at their next check (clearsessions deletes many)
    user_id = instance.get_decoded().get(SESSION_KEY)
    if user_id is not None and str(user_id).isdigit():
        told_people([int(user_id)], ACCESS)


def _person_changed(sender, instance: User, update_fields=None, **kwargs) -> None:
    if update_fields is not None and frozenset(update_fields) <= _SIGNED_IN:
        return
    told_people([instance.pk], ACCESS)


def _token_changed(sender, instance: ApiToken, **kwargs) -> None:
    if instance.expiry is not None and instance.expiry <= timezone.now():
        return  # expired: its streams end at their next check (the daily purge deletes many)
    told_people([instance.user_id], ACCESS)


def _membership_changed(sender, instance: DraftMembership, **kwargs) -> None:
    told_people([instance.user_id], ACCESS)


def _draft_deleted(sender, instance: Draft, **kwargs) -> None:
    access_changed(instance.pk)


def connect() -> None:
    post_delete.connect(_session_deleted, sender=Session, dispatch_uid="live-access-session")
    post_delete.connect(_draft_deleted, sender=Draft, dispatch_uid="live-access-draft")
    for name, signal in (("saved", post_save), ("deleted", post_delete)):
        signal.connect(_person_changed, sender=User, dispatch_uid=f"live-access-person-{name}")
        signal.connect(_token_changed, sender=ApiToken, dispatch_uid=f"live-access-token-{name}")
        signal.connect(_membership_changed, sender=DraftMembership, dispatch_uid=f"live-access-membership-{name}")
