"""The breakout a process runs when it starts (app/services/warmup.py): it leaves nothing
behind, and the first real breakout's statements are compiled by then."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import SQLModel

from app.core.clock import ManualClock
from app.core.config import Settings
from app.core.db import make_engine
from tests.utils.app import make_test_app
from tests.utils.factories import create_session, db_dump, populate


def test_the_warm_up_leaves_nothing_behind_and_warms_the_statements(tmp_path: Path) -> None:
    path = tmp_path / "duo.db"
    engine = make_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    settings = Settings(database_url=f"sqlite:///{path}", warm_up=True, _env_file=None)
    with TestClient(make_test_app(settings, ManualClock(), engine)) as client:
        dump = db_dump(engine)
        assert all(not rows for table, rows in dump.items() if table != "health_probe"), dump
        compiled = len(engine._compiled_cache)  # type: ignore[attr-defined]
        assert compiled > 10  # the start, the controls and the snapshot's statements
        session = create_session(client)
        populate(client, session, 3)
    engine.dispose()
    for file in tmp_path.iterdir():  # the database and its log: the names are gone
        assert b"warm-up" not in file.read_bytes(), file.name
