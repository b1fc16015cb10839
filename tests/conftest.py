"""Shared fixtures: an in-memory database, a clock tests can move, and the app around them."""

import os
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import SQLModel, create_engine

import app.models  # noqa: F401
from app.core.clock import ManualClock
from app.core.config import Settings
from tests.utils.app import make_test_app

# Tests start hundreds of apps and servers: without the start-up breakout, except in the
# test of it (tests/services/test_warmup.py).
os.environ.setdefault("DUO_WARM_UP", "0")
# The test client's requests come with Host "testserver".
os.environ.setdefault("DUO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def engine() -> Iterator[Engine]:
    engine = create_engine(
        "sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool
    )
    SQLModel.metadata.create_all(engine)
    yield engine
    engine.dispose()


def unlimited_settings(database_url: str = "sqlite://") -> Settings:
    """Settings for tests: rate limits off (tests that are about them turn them on)."""
    return Settings(
        database_url=database_url,
        redis_url=None,
        fold_ms=1,
        sessions_per_minute=0,
        joins_per_minute=0,
        misses_per_minute=0,
        _env_file=None,
    )


@pytest.fixture
def settings() -> Settings:
    return unlimited_settings()


@pytest.fixture
def client(settings: Settings, clock: ManualClock, engine: Engine) -> Iterator[TestClient]:
    with TestClient(make_test_app(settings=settings, clock=clock, engine=engine)) as test_client:
        yield test_client


@pytest.fixture
def stack() -> Iterator[ExitStack]:
    """An ExitStack that closes what a test opened (sockets, mostly) when it ends."""
    with ExitStack() as exit_stack:
        yield exit_stack
