"""How long one snapshot read takes with many people who joined and left behind it.

Issue 11 item 2: join + leave must not grow what every change reads. Builds a session on a
SQLite file with N departed participants and 8 present (4 in a running breakout), then
times ``SnapshotReader.read`` and, beside it, the read as it was before (every participant
row of the session). Prints one line per N; figures go to docs/reliability.md.

    .venv/bin/python bench/snapshot_read.py [--departed 10000] [--reads 50]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from sqlalchemy import insert
from sqlmodel import Session, SQLModel, col, select

from app.core.clock import SystemClock
from app.core.db import make_engine
from app.core.security import hash_token, new_id, new_token
from app.models import Breakout, DuoSession, Participant
from app.services.snapshots import SnapshotReader
from app.services.store import Store


def build(path: Path, departed: int) -> tuple[Store, str]:
    engine = make_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    now = SystemClock().now_ms()
    with Session(engine) as db:
        row = DuoSession(
            code="BENCH234",
            host_token_hash=hash_token(new_token()),
            seed=1,
            created_at_ms=now,
            last_active_ms=now,
        )
        db.add(row)
        db.commit()
        db.refresh(row)
        people = [
            {
                "id": new_id("p"),
                "session_id": row.id,
                "name": f"Weg {i}",
                "token_hash": None,
                "joined_seq": i,
                "joined_at_ms": now,
                "left_at_ms": now,
            }
            for i in range(departed)
        ]
        present = [
            {
                "id": new_id("p"),
                "session_id": row.id,
                "name": f"Blijft {i}",
                "token_hash": hash_token(new_token()),
                "joined_seq": departed + i,
                "joined_at_ms": now,
            }
            for i in range(8)
        ]
        db.execute(insert(Participant), people + present)
        ids = [p["id"] for p in present]
        db.add(
            Breakout(
                id=new_id("b"),
                session_id=row.id,
                number=1,
                groups=[ids[0:2], ids[2:4]],
                status="running",
                started_at_ms=now,
                slot_ends_ms=[now + 60_000 * (i + 1) for i in range(8)],
            )
        )
        db.commit()
    return Store(engine, SystemClock(), 24), "BENCH234"


def read_everyone(store: Store, session_id: int) -> int:
    """The participants' part of the read as it was before: every row of the session."""
    with Session(store.engine) as db:
        rows = db.exec(
            select(Participant.id, Participant.name, Participant.token_hash)
            .where(Participant.session_id == session_id)
            .order_by(col(Participant.joined_seq))
        ).all()
        return len(rows)


def median_ms(action: Callable[[], object], reads: int) -> float:
    times = []
    for _ in range(reads):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--departed", type=int, nargs="*", default=[0, 1_000, 10_000, 36_000])
    parser.add_argument("--reads", type=int, default=50)
    args = parser.parse_args()
    for departed in args.departed:
        with tempfile.TemporaryDirectory() as folder:
            store, code = build(Path(folder) / "duo.db", departed)
            reader = SnapshotReader(store)
            snapshot = reader.read_now(code, frozenset())
            assert len(snapshot.members) == 8, len(snapshot.members)
            now = median_ms(partial(reader.read_now, code, frozenset()), args.reads)
            before = median_ms(partial(read_everyone, store, 1), args.reads)
            print(
                f"{departed:>6} departed: snapshot read {now:6.2f} ms (median of {args.reads}); "
                f"reading every participant row, as before: {before:6.2f} ms"
            )
            store.engine.dispose()


if __name__ == "__main__":
    main()
