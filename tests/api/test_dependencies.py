"""Every dependency of every route is ``async def``: FastAPI runs a plain ``def`` one in a
worker thread, and those hand-offs cost more than a join's own work (docs/benchmarks.md)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from app.main import ROUTERS


def dependencies(dependant: Dependant) -> Iterator[Dependant]:
    for child in dependant.dependencies:
        yield child
        yield from dependencies(child)


def test_no_dependency_runs_in_a_worker_thread() -> None:
    api_routes = [r for router in ROUTERS for r in router.routes if isinstance(r, APIRoute)]
    found = [
        (route.path, dep.call.__qualname__)
        for route in api_routes
        for dep in dependencies(route.dependant)
        if dep.call is not None and not inspect.iscoroutinefunction(dep.call)
    ]
    assert found == []
    assert len(api_routes) > 20  # the routers were found (a check that looks at nothing fails)
