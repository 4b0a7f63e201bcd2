"""The daily digest leads each draft's reader to what changed in it since their last visit."""

import re

import pytest
import time_machine
from django.core import mail

from drafting import services
from notifications import services as notifications
from notifications.tasks import send_daily_digests
from tests.drafting.factories import ClauseFactory, DraftFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_each_draft_in_the_digest_links_to_its_changes_page(clause, people, deliver, settings, client):
    reader = people["observer"]
    reader.email_preference = "daily"
    reader.save()
    other = DraftFactory(title="Second code")
    other_clause = ClauseFactory(section=SectionFactory(draft=other))
    notifications.follow(user=reader, clause=clause)
    notifications.follow(user=reader, clause=other_clause)
    with time_machine.travel("2026-12-01 15:00Z", tick=False):
        deliver(lambda: services.comment_post(by=people["participant"], clause_id=clause.id, body="One"))
        deliver(lambda: services.comment_post(by=people["admin"], clause_id=other_clause.id, body="Two"))
    with time_machine.travel("2026-12-02 07:00Z", tick=False):
        send_daily_digests()
    (digest,) = [m for m in mail.outbox if m.to == [reader.email]]
    site = settings.SITE_URL.rstrip("/")
    for draft in (clause.draft, other):
        link = f"{site}/drafts/{draft.slug}/changes/"
        assert link in digest.body, draft.slug
        assert f'href="{link}"' in digest.alternatives[0].content, draft.slug
    # Each link sits under its own draft's heading, and opens the page.
    first, second = re.split(r"== Second code ==", digest.body)
    assert clause.draft.slug in first and other.slug in second and clause.draft.slug not in second
    client.force_login(reader)
    assert client.get(f"/drafts/{other.slug}/changes/").status_code == 200
