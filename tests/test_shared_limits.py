"""Rate limits are shared by every web worker, on the embedded default too (issue 10, point 3).

gunicorn serves the embedded default (PostgreSQL, no Redis) with two workers that are replaced after
every request, so a counter kept in a process's memory would start from zero each time: only a
count in the shared cache (the database) refuses the sixth wrong password.
"""

import json
import os
import urllib.error
import urllib.request

from tests.support import database_of_its_own, free_port, gunicorn, manage, wait_for

MAKE_ANA = (
    "from accounts.services import administrator_create; "
    "administrator_create(username='ana', email='ana@example.org', password='a long pass phrase')"
)


def post_token(port: int, password: str) -> int:
    body = json.dumps({"username": "ana", "password": password}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/auth/token/", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 (our own server, http)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=20):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def test_two_workers_replaced_after_each_request_share_one_count(tmp_path):
    with database_of_its_own("shared_limits") as url:
        port = free_port()
        env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "TMPDIR") if name in os.environ}
        env |= {
            "DJANGO_SETTINGS_MODULE": "codeofconduct.settings.local",
            "DATABASE_URL": url,
            "CELERY_BROKER_DIR": str(tmp_path / "broker"),
            "DJANGO_DEBUG": "false",
            "DJANGO_LOGIN_ACCOUNT_RATE": "5/10min",
            "DJANGO_LOGIN_ADDRESS_RATE": "1000/10min",
        }

        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "shell", "-c", MAKE_ANA)
        with gunicorn(env, port, tmp_path / "web.log", "--workers", "2", "--max-requests", "1") as web:
            assert wait_for(lambda: answers(port), timeout=60, process=web)
            codes = [post_token(port, "wrong") for _ in range(6)]
            assert codes == [400] * 5 + [429], codes
            assert post_token(port, "a long pass phrase") == 429
