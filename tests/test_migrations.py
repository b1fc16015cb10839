"""The migrations: ``alembic upgrade head`` makes the schema ``app/models.py`` describes, and the
newest step goes down and up again, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from tests.utils.server import ROOT
from tests.utils.services import fresh_postgres_database


def alembic(database_url: str, *args: str) -> str:
    """Run ``alembic *args`` on ``database_url`` and return what it printed."""
    done = subprocess.run(
        [sys.executable, "-m", "alembic", *args],
        cwd=ROOT,
        env={**os.environ, "DUO_DATABASE_URL": database_url},
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout + done.stderr


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'duo.db'}"
        return
    with fresh_postgres_database() as url:
        yield url


def session_columns(database_url: str) -> set[str]:
    engine = create_engine(database_url)
    try:
        return {column["name"] for column in inspect(engine).get_columns("duo_session")}
    finally:
        engine.dispose()


def test_the_newest_migration_goes_down_and_up(database_url: str) -> None:
    alembic(database_url, "upgrade", "head")
    assert "No new upgrade operations detected" in alembic(database_url, "check")
    assert "closed_at_ms" in session_columns(database_url)
    alembic(database_url, "downgrade", "0007")
    assert "closed_at_ms" not in session_columns(database_url)
    alembic(database_url, "upgrade", "head")
    assert "closed_at_ms" in session_columns(database_url)
