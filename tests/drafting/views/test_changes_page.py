"""The "what changed" page, the draft page's banner that leads there, and marking changes seen."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from drafting import services
from drafting.models import DraftVisit, Visibility
from tests.drafting.test_changes import backdate, build_changes

pytestmark = pytest.mark.django_db


def test_the_page_lists_each_kind_of_change_with_the_redline(client, draft, clause, people):
    scene = build_changes(draft, clause, people)
    client.force_login(people["participant"])
    page = client.get(f"/drafts/{draft.slug}/changes/", {"since": scene["since"].isoformat()})
    assert page.status_code == 200
    html = page.content.decode()
    assert "8 changes since" in html
    redline = re.search(r'data-testid="changes-redline">(.*?)</p>', html, re.S).group(1)
    # The page's redline, with the words a screen reader says around each change.
    assert "<del>wrongful</del>" in redline and "<ins>malicious</ins>" in redline
    assert 'class="visually-hidden">deleted: </span>' in redline
    assert "Capacity building" in html and "Due diligence" in html
    assert f"Amendment {scene['new_amendment'].id} to OP1" in html
    assert "Why “malicious”?" in html and "It is the agreed term." in html
    assert "Off-topic rant." not in html  # hidden from participants
    assert 'name="until"' in html and "Mark as seen" in html
    client.force_login(people["moderator"])
    moderated = client.get(f"/drafts/{draft.slug}/changes/", {"since": scene["since"].isoformat()}).content.decode()
    assert "Off-topic rant." in moderated and "9 changes since" in moderated


def test_a_date_looks_further_back_and_a_bad_one_says_so(client, draft, clause, people):
    services.clause_update(clause_id=clause.id, version=1, by=people["moderator"], text="States must cooperate.")
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    page = client.get(f"/drafts/{draft.slug}/changes/?since={yesterday}").content.decode()
    assert f'value="{yesterday}"' in page and "Critical infrastructure" in page
    bad = client.get(f"/drafts/{draft.slug}/changes/?since=last-week")
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.content.decode()
    # Nobody's last visit to start from, and no date (as a digest's link lands): the last week.
    fallback = client.get(f"/drafts/{draft.slug}/changes/").content.decode()
    assert "the last week" in fallback and "Critical infrastructure" in fallback


def test_a_members_only_draft_has_no_changes_page_for_outsiders(client, draft, people):
    draft.visibility = Visibility.MEMBERS
    draft.save()
    url = f"/drafts/{draft.slug}/changes/?since=2020-01-01"
    assert client.get(url).status_code == 404
    client.force_login(people["non_member"])
    assert client.get(url).status_code == 404
    assert client.post(f"/drafts/{draft.slug}/changes/seen/").status_code == 404
    client.force_login(people["observer"])
    assert client.get(url).status_code == 200


def test_the_banner_leads_to_the_changes_and_goes_once_they_are_marked_seen(client, draft, clause, people):
    participant = people["participant"]
    backdate(draft, 30)
    client.force_login(participant)
    first = client.get(f"/drafts/{draft.slug}/").content.decode()
    assert 'data-testid="catch-up"' not in first  # a first visit: nothing to catch up on
    DraftVisit.objects.filter(user=participant).update(seen_at=timezone.now() - timedelta(days=7))
    services.clause_update(clause_id=clause.id, version=1, by=people["moderator"], text="States must cooperate.")
    services.comment_post(by=people["observer"], clause_id=clause.id, body="Agreed.")
    banner = client.get(f"/drafts/{draft.slug}/").content.decode()
    assert "1 clause changed since your last visit" in banner and f'href="/drafts/{draft.slug}/changes/"' in banner
    changes = client.get(f"/drafts/{draft.slug}/changes/").content.decode()
    assert "(your last visit)" in changes and "<ins>must cooperate</ins>" in changes
    until = re.search(r'name="until" value="([^"]+)"', changes).group(1)
    done = client.post(f"/drafts/{draft.slug}/changes/seen/", {"until": until}, follow=True)
    assert done.redirect_chain[-1][0] == f"/drafts/{draft.slug}/"
    html = done.content.decode()
    assert "marked as seen" in html and 'data-testid="catch-up"' not in html


def test_marking_seen_needs_a_signed_in_person(client, draft):
    answer = client.post(f"/drafts/{draft.slug}/changes/seen/")
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]
    assert not DraftVisit.objects.exists()


def test_anonymous_readers_of_the_draft_page_get_no_banner_and_leave_no_record(client, draft, clause):
    html = client.get(f"/drafts/{draft.slug}/").content.decode()
    assert 'data-testid="catch-up"' not in html and 'data-testid="changes-link"' in html
    assert not DraftVisit.objects.exists()


def test_the_page_has_a_next_page_when_a_list_goes_on(client, draft, clause, people, monkeypatch):
    from drafting.selectors import changes as changes_selector

    monkeypatch.setattr(changes_selector, "CAP", 2)
    since = timezone.now()
    for i in range(3):
        services.comment_post(by=people["observer"], clause_id=clause.id, body=f"Remark number {i}")
    services.comment_edit(comment_id=clause.comments.first().id, by=people["observer"], body="Remark number 0, edited")
    first = client.get(f"/drafts/{draft.slug}/changes/", {"since": since.isoformat()}).content.decode()
    # In the order things happened: the edit of the first remark came last.
    assert "Items 1 to 2 of 3; the next page has more." in first and "Remark number 0" not in first
    link = re.search(r'href="\?([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    second = client.get(f"/drafts/{draft.slug}/changes/?{link}")
    html = second.content.decode()
    assert second.status_code == 200 and "Remark number 0, edited" in html and "Remark number 1" not in html
    assert "(edited " in html  # written and edited since: listed as written, the edit noted
    assert "Items 3 to 3 of 3." in html and 'rel="prev"' in html and 'rel="next"' not in html
    past = client.get(f"/drafts/{draft.slug}/changes/?{link.replace('page=2', 'page=7')}")
    assert past.status_code == 404 and "There is no page 7" in past.content.decode()
    assert 'id="since-form"' in past.content.decode()  # the form stays, to choose again


def test_a_comment_written_before_and_edited_since_is_marked_edited(client, draft, clause, people):
    remark = services.comment_post(by=people["observer"], clause_id=clause.id, body="Keep should.")
    since = timezone.now()
    services.comment_edit(comment_id=remark.id, by=people["observer"], body="Keep should, not must.")
    html = client.get(f"/drafts/{draft.slug}/changes/", {"since": since.isoformat()}).content.decode()
    assert 'data-testid="comment-edited">edited</span>' in html and "Keep should, not must." in html
    assert "1 change since" in html
