"""The database engine: SQLite by default, PostgreSQL when the URL names it."""

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import create_engine


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create the engine for ``url``; a SQLite file's folder is created and WAL turned on."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **kwargs)
    if (
        parsed.database
        and parsed.database != ":memory:"
        and not parsed.database.startswith("file:")
    ):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA secure_delete=ON")  # deleted names are overwritten, not left
        cursor.close()

    return engine


def forget_deleted(engine: Engine) -> bool:
    """Write what SQLite's write-ahead log holds into the database and empty the log, so that
    deleted rows (names, messages) are gone from disk too; return whether it completed.
    Nothing to do for other databases."""
    if engine.dialect.name != "sqlite":
        return True
    with engine.connect() as connection:
        busy, _log, _moved = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
    return not busy
