"""The app as tests build it: a moved ManualClock wakes the app's deadline timers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.core.clock import Clock, ManualClock
from app.main import create_app
from app.services.container import Services


def services_of(client: TestClient | FastAPI) -> Services:
    """Return the services of a started app (or of a TestClient's app)."""
    app = client.app if isinstance(client, TestClient) else client
    services: Services = app.state.services  # type: ignore[union-attr]
    return services


def make_test_app(
    settings: Any = None, clock: Clock | None = None, engine: Any = None, hub: Any = None
) -> FastAPI:
    """Return ``create_app(...)`` whose timers hear every move of a ManualClock ``clock``."""
    app = create_app(settings, clock, engine, hub)
    if not isinstance(clock, ManualClock):
        return app
    manual = clock
    started = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(the_app: FastAPI) -> AsyncIterator[Any]:
        async with started(the_app) as state:
            listener = services_of(the_app).timers.check_due_threadsafe
            manual.listeners.append(listener)
            try:
                yield state
            finally:
                manual.listeners.remove(listener)

    app.router.lifespan_context = lifespan
    return app
