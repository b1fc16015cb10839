"""Counting what a request costs the database, in round trips: every statement, every
transaction's begin the driver sends on its own (PostgreSQL's BEGIN), every commit and
rollback. A SQLAlchemy event listener on the engine; ``bench/delay_proxy.py`` counts the
same on the wire."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine


def _autocommit(conn: Connection) -> bool:
    """A connection without a transaction sends no BEGIN, COMMIT or ROLLBACK."""
    return conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT"


class RoundTrips:
    """Counts the round trips to ``engine`` while ``counting`` (from every thread)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.statements: list[str] = []
        self._lock = threading.Lock()
        self._on = False

    def _note(self, what: str) -> None:
        if self._on:
            with self._lock:
                self.statements.append(what)

    def _statement(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self._note(" ".join(statement.split())[:120])

    def _begin(self, conn: Connection) -> None:
        if not _autocommit(conn):
            self._note("BEGIN (sent by the driver)")

    def _commit(self, conn: Connection) -> None:
        if not _autocommit(conn):
            self._note("COMMIT")

    def _rollback(self, conn: Connection) -> None:
        if not _autocommit(conn):
            self._note("ROLLBACK")

    @property
    def count(self) -> int:
        return len(self.statements)

    @contextmanager
    def counting(self) -> Iterator[RoundTrips]:
        """Count from now until the end of the block (the count stays readable after)."""
        listeners = [
            ("before_cursor_execute", self._statement),
            ("commit", self._commit),
            ("rollback", self._rollback),
        ]
        if self.engine.dialect.name != "sqlite":  # SQLite's BEGIN is a statement of Duo's
            listeners.append(("begin", self._begin))
        for name, listener in listeners:
            event.listen(self.engine, name, listener)
        self.statements.clear()
        self._on = True
        try:
            yield self
        finally:
            self._on = False
            for name, listener in listeners:
                event.remove(self.engine, name, listener)
