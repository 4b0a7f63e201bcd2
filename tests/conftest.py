import os

import pytest
from django.core.cache import caches
from rest_framework.test import APIClient

from drafting import services
from drafting.models import Role
from notifications import sent_mail
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.drafting.factories import ClauseFactory, DraftFactory, SectionFactory

STANDINGS = ["anonymous", "non_member", "observer", "participant", "moderator", "admin"]


def need(condition: bool, reason: str) -> None:
    """Skip a test whose service is missing on a developer's machine; in CI, fail it instead.

    CI (CI=true) has PostgreSQL, Redis and Chromium, so a missing one there is a broken set-up,
    never a reason to pass quietly.
    """
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"CI must provide this: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and rendered texts live in the caches: every test starts with none."""
    for alias in ("default", "renders"):
        caches[alias].clear()
    yield
    for alias in ("default", "renders"):
        caches[alias].clear()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def admin_user(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def draft(db, admin_user):
    return DraftFactory(created_by=admin_user)


@pytest.fixture
def section(draft):
    return SectionFactory(draft=draft, title="Norms", position=1)


@pytest.fixture
def clause(section):
    return ClauseFactory(section=section, number=1, title="Critical infrastructure")


@pytest.fixture
def people(draft, admin_user):
    """One person for every standing in ``draft`` (anonymous is None)."""
    result = {"anonymous": None, "non_member": UserFactory(username="outsider"), "admin": admin_user}
    for role in (Role.OBSERVER, Role.PARTICIPANT, Role.MODERATOR):
        user = UserFactory(username=f"a_{role}")
        MembershipFactory(user=user)
        services.draft_member_set(draft=draft, user_id=user.id, role=role, by=admin_user)
        result[str(role)] = user
    return result


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def mail_kept(settings, tmp_path):
    """Mail kept as files, as the local settings keep it when no SMTP server is named (Sent mail),
    in a folder of the test's own; returns the folder."""
    settings.EMAIL_BACKEND = sent_mail.BACKEND
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    return tmp_path / "mail"


@pytest.fixture
def asgi_server(transactional_db, settings):
    """The platform as uvicorn serves it (ASGI: the pages and the live stream), on the test database,
    in a thread of this process; its ``url`` is where it listens."""
    import socket
    import threading
    import time
    from types import SimpleNamespace

    import uvicorn
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
    from django.core.asgi import get_asgi_application
    from django.db import connection

    settings.LIVE_UPDATES = True  # its pages open the stream it serves
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(
        ASGIStaticFilesHandler(get_asgi_application()),
        host="127.0.0.1",
        port=port,
        lifespan="off",
        log_level="warning",
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield SimpleNamespace(url=f"http://127.0.0.1:{port}")
    server.should_exit = True
    thread.join(10)
    # The server's threads kept their connections: end them, so the next test can empty the tables.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
