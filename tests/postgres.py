"""A PostgreSQL server for the tests: a throwaway cluster of Debian's PostgreSQL in a temporary
folder (initdb, listening on 127.0.0.1 only, trust for the loopback), or an existing server named by
``CALLSCRIBE_TEST_POSTGRES_URL``; one fresh database per test, copied from a template that already
holds the catalogue's tables.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import sqlalchemy as sa

URL_VARIABLE = "CALLSCRIBE_TEST_POSTGRES_URL"
FIX = ("the PostgreSQL half of the tests needs Debian's postgresql (run .ci/postgres, or apt-get install "
       f"postgresql) or a server in {URL_VARIABLE}=postgresql+psycopg://USER@HOST/postgres; "
       "--backends sqlite leaves it out")
TEMPLATE = f"callscribe_template_{os.getpid()}"  # per test session: sessions may share a server


class Unavailable(Exception):
    """No PostgreSQL server can be started or reached; the message names the fix."""


def initdb() -> Path | None:
    """Debian's ``initdb`` of the newest installed PostgreSQL, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]) if found else None


class Server:
    """A PostgreSQL server whose admin URL can create and drop databases."""

    def __init__(self, admin_url: str, stop=None):
        self.admin_url = sa.make_url(admin_url).set(drivername="postgresql+psycopg")
        self._stop = stop
        self._names = itertools.count(1)
        self._created: list[str] = []
        self._admin = sa.create_engine(self.admin_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        try:
            with self._admin.connect() as conn:
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
                conn.exec_driver_sql(f"CREATE DATABASE {TEMPLATE} TEMPLATE template0 ENCODING 'UTF8' "
                                     "LC_COLLATE 'C' LC_CTYPE 'C'")
        except sa.exc.OperationalError as err:
            self.stop()
            raise Unavailable(f"cannot reach PostgreSQL at {self.admin_url!r} ({type(err.orig).__name__}); "
                              f"{FIX}") from None
        # the template holds the catalogue's tables, so each test's copy starts like a new catalogue
        from callscribe.pipeline.storage.catalogue import get_engine

        get_engine(self.url_of(TEMPLATE)).dispose()  # no connection may stay open on a template

    def url_of(self, database: str) -> str:
        return self.admin_url.set(database=database).render_as_string(hide_password=False)

    def create_database(self) -> str:
        """A fresh database with the catalogue's tables; returns its URL."""
        name = f"callscribe_test_{os.getpid()}_{next(self._names)}"
        with self._admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE} STRATEGY FILE_COPY")
        self._created.append(name)
        return self.url_of(name)

    def release_database(self, url: str) -> None:
        """Close what is still connected to a database of :meth:`create_database` (the engines a
        test left open); the database itself is dropped when the server stops (a drop waits for a
        checkpoint: 0.1 s a test)."""
        with self._admin.connect() as conn:
            conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                         {"name": sa.make_url(url).database})

    def stop(self) -> None:
        """Drop the databases of the tests (a throwaway cluster goes as a whole), then stop."""
        if self._stop is None:
            with contextlib.suppress(sa.exc.SQLAlchemyError), self._admin.connect() as conn:
                for name in (*self._created, TEMPLATE):
                    conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self._admin.dispose()
        if self._stop is not None:
            self._stop()
            self._stop = None


def start(existing_url: str | None) -> Server:
    """The server in ``existing_url``, else a throwaway cluster (stopped and removed by
    :meth:`Server.stop`).

    Raises:
        Unavailable: neither is possible.
    """
    if existing_url:
        return Server(existing_url)
    binary = initdb()
    if binary is None:
        raise Unavailable(f"no initdb under /usr/lib/postgresql/*/bin: {FIX}")
    return _throwaway_cluster(binary.parent)


def _throwaway_cluster(bin_dir: Path) -> Server:
    """initdb, start and return a cluster in a temporary folder, as ``postgres`` when run as root
    (initdb refuses root)."""
    folder = Path(tempfile.mkdtemp(prefix="callscribe-test-postgres-"))
    data, sockets = folder / "data", folder / "sockets"
    sockets.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        for path in (folder, sockets):
            os.chown(path, owner.pw_uid, owner.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    log = folder / "server.log"

    def run(*command: str) -> None:
        done = subprocess.run([*as_user, *command], capture_output=True, text=True, cwd=folder)
        if done.returncode:
            raise Unavailable(f"{Path(command[0]).name} failed ({done.returncode}): "
                              f"{(done.stderr or done.stdout).strip()[-500:]}; {FIX}")

    def stop() -> None:
        subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "stop", "-D", str(data), "-m", "immediate", "-s"],
                       capture_output=True, cwd=folder)
        shutil.rmtree(folder, ignore_errors=True)

    try:
        run(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
            "--locale", "C", "--no-sync")
        options = (f"-c listen_addresses=127.0.0.1 -p {port} -k {sockets} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        run(str(bin_dir / "pg_ctl"), "start", "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o", options)
    except BaseException:
        stop()
        raise
    return Server(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", stop)


def _free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
