"""A worker killed with SIGKILL in the middle of sending an email (issue 10, point 9).

The mail server is slow to answer the first message; the worker is killed while it waits, so the
message was never accepted. A new worker finds the notification still pending in the outbox, sends
it, and the person gets it exactly once.
"""

import threading
import time

import pytest

from notifications import services as notifications
from notifications.models import Notification
from tests.conftest import client_for
from tests.notifications.test_delivery import smtp_env
from tests.support import SMTPServer, celery_worker, kill_group, publishing, wait_for


class SlowFirstSMTPServer(SMTPServer):
    """Holds the first message until released, then refuses it (451): it was never delivered."""

    def __init__(self):
        super().__init__()
        self.first_arrived, self.release = threading.Event(), threading.Event()
        accept = self.controller.handler.handle_DATA
        server = self

        async def handle_data(smtp, session, envelope):
            if not server.first_arrived.is_set():
                server.first_arrived.set()
                while not server.release.is_set():
                    await _sleep(0.1)
                return "451 Try again later"
            return await accept(smtp, session, envelope)

        self.controller.handler.handle_DATA = handle_data


async def _sleep(seconds):
    import asyncio

    await asyncio.sleep(seconds)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_leaves_the_email_to_the_next_worker_which_sends_it_once(tmp_path, clause, people):
    notifications.follow(user=people["observer"], clause=clause)
    with SlowFirstSMTPServer() as smtp:
        env = smtp_env(smtp)
        with celery_worker(tmp_path, **env) as first, publishing(tmp_path):
            posted = client_for(people["participant"]).post(
                "/api/v1/comments/",
                {"clause": clause.id, "body": "We support this.", "stance": "support"},
                format="json",
            )
            assert posted.status_code == 201
            assert wait_for(smtp.first_arrived.is_set, timeout=60, process=first)
            # SIGKILL, in the middle of the SMTP exchange, to the worker and its embedded beat alike,
            # as when the machine or container running them is killed.
            kill_group(first)
        smtp.release.set()
        note = Notification.objects.get(recipient=people["observer"], kind="comment_posted")
        assert note.email_status == "pending" and not smtp.to(people["observer"].email)

        with celery_worker(tmp_path, **env) as second, publishing(tmp_path):
            assert wait_for(lambda: smtp.to(people["observer"].email), timeout=60, process=second)
            time.sleep(3)  # the sweep keeps running: nothing more comes
            assert len(smtp.to(people["observer"].email)) == 1
        note.refresh_from_db()
        assert note.email_status == "sent"
