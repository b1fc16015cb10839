"""The real PostgreSQL and Redis, for tests that need them: skipped with the reason if absent.

The URLs come from ``DUO_TEST_POSTGRES_URL`` and ``DUO_TEST_REDIS_URL`` (``.ci/run`` sets
them). With ``DUO_REQUIRE_SERVICES=1`` (CI) an absent service fails the test instead.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy.engine import make_url


def unavailable(reason: str) -> None:
    """Skip the test for ``reason``; with ``DUO_REQUIRE_SERVICES=1`` (CI) fail it instead."""
    if os.environ.get("DUO_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason} (DUO_REQUIRE_SERVICES=1: CI must run this test)")
    pytest.skip(reason)


def redis_url() -> str:
    """Return the test Redis URL after checking that it answers; else skip (or fail in CI)."""
    url = os.environ.get("DUO_TEST_REDIS_URL")
    if not url:
        unavailable("DUO_TEST_REDIS_URL is not set: no Redis to test against")
    assert url
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as problem:
        unavailable(f"Redis at {url} does not answer: {problem}")
    return url


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """Create an empty PostgreSQL database for one test and drop it afterwards."""
    url = os.environ.get("DUO_TEST_POSTGRES_URL")
    if not url:
        unavailable("DUO_TEST_POSTGRES_URL is not set: no PostgreSQL to test against")
    assert url
    import psycopg

    admin = make_url(url)
    name = f"duo_test_{secrets.token_hex(4)}"
    dsn = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    try:
        with psycopg.connect(dsn, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as problem:
        unavailable(f"PostgreSQL at {url} does not answer: {problem}")
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
