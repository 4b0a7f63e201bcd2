"""The database restarted under load: requests fail cleanly with 503, and the platform recovers by
itself, without restarting (issue 10, point 9).

A PostgreSQL instance of the test's own (the embedded server's programs), on a spare port, serves gunicorn with the production
settings; it is stopped while requests keep coming, then started again.
"""

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from codeofconduct.embedded_database import binary
from tests.conftest import need
from tests.support import free_port, gunicorn, manage, wait_for

# PostgreSQL refuses to run as root: as root, the server runs as the embedded server's own user
# (which the embedded default made when it first started, for this test run's database).
SERVER_USER = "embedded_postgres" if os.geteuid() == 0 else None
MAKE_DRAFT = (
    "from accounts.services import administrator_create; from drafting.services import draft_create; "
    "root = administrator_create(username='root', email='root@example.org', password='a long pass phrase'); "
    "draft_create(title='Open draft', summary='', visibility='public', by=root)"
)


def get(port: int, path: str) -> tuple[int, str, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=20) as response:  # noqa: S310
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)
    except OSError:
        return 0, "", {}


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def as_server(*args, check=True, **kwargs):
    prefix = ["runuser", "-u", SERVER_USER, "--"] if SERVER_USER else []
    return subprocess.run([*prefix, *map(str, args)], check=check, **kwargs)


def test_requests_get_a_clean_503_while_the_database_is_down_and_recover_after(tmp_path):
    need(binary("initdb") is not None and binary("pg_ctl") is not None, "PostgreSQL's initdb and pg_ctl")
    if SERVER_USER:
        need(_user_exists(SERVER_USER), f"the system user {SERVER_USER} (made when the embedded server first starts)")
    home = Path(tempfile.mkdtemp(prefix="pg-restart-", dir="/tmp"))
    home.chmod(0o755)
    if SERVER_USER:
        shutil.chown(home, SERVER_USER, SERVER_USER)
    data, log, pg_port, web_port = home / "data", home / "pg.log", free_port(), free_port()
    pg_ctl = [
        binary("pg_ctl"),
        "-D",
        data,
        "-l",
        log,
        "-w",
        "-o",
        f"-p {pg_port} -k {home} -c listen_addresses=127.0.0.1",
    ]
    as_server(binary("initdb"), "-D", data, "-A", "trust", "-U", "postgres", capture_output=True)
    as_server(*pg_ctl, "start", capture_output=True)
    with contextlib.ExitStack() as stack:
        # Run last to first: gunicorn stops, then PostgreSQL, then its folder goes.
        stack.callback(shutil.rmtree, home, ignore_errors=True)
        stack.callback(as_server, *pg_ctl, "stop", "-m", "immediate", check=False, capture_output=True)
        env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
        env |= {
            "DJANGO_SETTINGS_MODULE": "codeofconduct.settings.production",
            "DJANGO_SECRET_KEY": "restart-test-not-secret-" + "x" * 40,
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{pg_port}/postgres",
            "CELERY_BROKER_DIR": str(tmp_path / "broker"),
            # Production serves pages through the static manifest: collected here, not in the checkout.
            "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
            "DJANGO_LOG_LEVEL": "ERROR",
        }
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "shell", "-c", MAKE_DRAFT)
        manage(env, "collectstatic", "--noinput", "-v0")
        web = stack.enter_context(gunicorn(env, web_port, tmp_path / "web.log", "--workers", "2"))
        assert wait_for(lambda: get(web_port, "/api/v1/drafts/")[0] == 200, timeout=30, process=web)
        assert json.loads(get(web_port, "/api/v1/drafts/")[1])["count"] == 1

        as_server(*pg_ctl, "stop", "-m", "fast", capture_output=True)
        for path in ("/api/v1/drafts/", "/", "/api/v1/drafts/", "/drafts/open-draft/"):
            status, body, headers = get(web_port, path)
            assert status == 503, (path, status, body[:300])
            assert headers.get("Retry-After") == "5" and "database is not answering" in body
        assert json.loads(get(web_port, "/api/v1/drafts/")[1])["detail"].startswith("The database")

        as_server(*pg_ctl, "start", capture_output=True)
        seen = []
        assert wait_for(lambda: seen.append(get(web_port, "/api/v1/drafts/")[0]) or seen[-1] == 200, timeout=20)
        assert set(seen) <= {200, 503}, seen
        assert get(web_port, "/drafts/open-draft/")[0] == 200
        assert web.poll() is None  # the same processes, never restarted
