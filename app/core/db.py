"""The database engine: SQLite by default, PostgreSQL when the URL names it."""

import time
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.pool import ConnectionPoolEntry
from sqlmodel import create_engine

BUSY_TIMEOUT_MS = 5000  # how long a SQLite write waits for another writer's lock
WRITES = "duo_writes"  # the execution option of a transaction that writes
PING_AFTER_IDLE_SECONDS = 2.0  # a pooled connection idle this long is tried before use


def make_engine(
    url: str, *, ping_after_idle_seconds: float = PING_AFTER_IDLE_SECONDS, **kwargs: Any
) -> Engine:
    """Create the engine for ``url``; a SQLite file's folder is created and WAL turned on."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return _server_engine(url, ping_after_idle_seconds, **kwargs)
    if (
        parsed.database
        and parsed.database != ":memory:"
        and not parsed.database.startswith("file:")
    ):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # transactions begin as ``_begin`` says
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA secure_delete=ON")  # deleted names are overwritten, not left
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        # A write takes the writer's lock at its start (waiting for it as long as the busy
        # timeout says): one that read first and then met another writer's commit could
        # only fail (SQLITE_BUSY_SNAPSHOT), however long it waited.
        options = connection.get_execution_options()
        if options.get("isolation_level") != "AUTOCOMMIT":
            connection.exec_driver_sql("BEGIN IMMEDIATE" if options.get(WRITES) else "BEGIN")

    return engine


def _server_engine(url: str, ping_after_idle_seconds: float, **kwargs: Any) -> Engine:
    """A database server's engine whose pooled connections are tried before use only after
    they lay idle (a server restarted meanwhile), not before every use: on a busy process a
    ping is a round trip for nothing."""
    kwargs.setdefault("pool_size", 10)
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "checkin")
    def _note_idle(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < ping_after_idle_seconds:
            return
        try:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            dbapi_connection.rollback()
        except Exception as gone:  # the pool replaces it with a new connection
            raise DisconnectionError(str(gone)) from gone

    return engine


def for_reads(engine: Engine) -> Engine:
    """Return ``engine`` for reads. A server's reads run without a transaction: each
    statement reads at its own moment either way (READ COMMITTED), and BEGIN and ROLLBACK
    would be two round trips for nothing. SQLite's reads keep theirs (one snapshot, and no
    network)."""
    if engine.dialect.name == "sqlite":
        return engine
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def for_writes(engine: Engine) -> Engine:
    """Return ``engine`` for transactions that write (SQLite: begun with the writer's lock)."""
    return engine.execution_options(**{WRITES: True})


def forget_deleted(engine: Engine) -> bool:
    """Write what SQLite's write-ahead log holds into the database and empty the log, so that
    deleted rows (names, messages) are gone from disk too; return whether it completed.
    Nothing to do for other databases."""
    if engine.dialect.name != "sqlite":
        return True
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        busy, _log, _moved = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
    return not busy
