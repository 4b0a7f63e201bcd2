"""A backup is only a backup once it has been restored (issue 10, point 9).

The README's procedure (``pg_dump --format=custom``, then ``pg_restore`` into an empty database) is
run on a negotiation with a closed round; the restored database holds every draft, clause version,
vote, comment and notification, with the same words and choices.
"""

import subprocess

import psycopg
import pytest
from django.db import connection

from codeofconduct.embedded_database import binary
from drafting import services
from tests.conftest import need
from tests.support import database_url

TABLES = [
    "drafting_draft",
    "drafting_clause",
    "drafting_historicalclause",
    "drafting_amendment",
    "drafting_comment",
    "drafting_vote",
    "drafting_round",
    "drafting_snapshot",
    "notifications_notification",
    "notifications_event",
    "accounts_user",
]
FACTS = [
    "SELECT slug, title FROM drafting_draft ORDER BY id",
    "SELECT id, version, text FROM drafting_historicalclause ORDER BY history_id",
    "SELECT voter_id, choice, stakeholder_group FROM drafting_vote ORDER BY id",
    "SELECT recipient_id, kind, message FROM notifications_notification ORDER BY id",
]


def read(url: str) -> tuple[dict, list]:
    with psycopg.connect(url) as db:
        counts = {table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in TABLES}  # noqa: S608
        facts = [db.execute(query).fetchall() for query in FACTS]
    return counts, facts


@pytest.mark.django_db(transaction=True)
def test_a_dump_restores_every_draft_version_vote_and_notification(closed_round, draft, people, tmp_path):
    services.snapshot_create(draft=draft, label="Rev.1", by=people["moderator"])
    source = database_url()
    counts, facts = read(source)
    assert [table for table in TABLES if not counts[table]] == []
    dump = tmp_path / "codeofconduct.dump"
    # The programs that come with the embedded server (PostgreSQL 18), which dump and restore any
    # server from 9.2 on; where it has no build, the machine's own.
    need(binary("pg_dump") is not None and binary("pg_restore") is not None, "pg_dump and pg_restore")
    subprocess.run([binary("pg_dump"), "--format=custom", "--no-owner", f"--file={dump}", source], check=True)

    target_name = f"{connection.settings_dict['NAME']}_restored"
    admin = database_url("postgres")
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{target_name}"')
        db.execute(f'CREATE DATABASE "{target_name}"')
    try:
        target = database_url(target_name)
        subprocess.run(
            [binary("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={target}", str(dump)], check=True
        )
        assert read(target) == (counts, facts)
    finally:
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')
