"""Dependency aliases: the long-lived objects of the app, as the lifespan made them.

Every dependency is ``async def``: FastAPI runs a plain ``def`` one in a worker thread,
and those hand-offs (two or three a request) cost more than the whole of a join's logic.
"""

from typing import Annotated

from fastapi import Depends, Header
from starlette.requests import HTTPConnection

from app.core.clock import Clock
from app.services.breakouts import BreakoutCommands
from app.services.container import Services
from app.services.limits import Limits
from app.services.meeting import MeetingCommands
from app.services.rooms import RoomCommands
from app.services.sessions import SessionCommands
from app.services.signals import SignalCommands


def services_of(connection: HTTPConnection) -> Services:
    """Return the services the lifespan built (for a request or a WebSocket)."""
    services: Services = connection.app.state.services
    return services


async def get_services(connection: HTTPConnection) -> Services:
    return services_of(connection)


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_clock(services: ServicesDep) -> Clock:
    return services.clock


async def get_sessions(services: ServicesDep) -> SessionCommands:
    return services.sessions


async def get_breakouts(services: ServicesDep) -> BreakoutCommands:
    return services.breakouts


async def get_meeting(services: ServicesDep) -> MeetingCommands:
    return services.meeting


async def get_signals(services: ServicesDep) -> SignalCommands:
    return services.signals


async def get_rooms(services: ServicesDep) -> RoomCommands:
    return services.rooms


async def get_limits(services: ServicesDep) -> Limits:
    return services.limits


ClockDep = Annotated[Clock, Depends(get_clock)]
SessionsDep = Annotated[SessionCommands, Depends(get_sessions)]
BreakoutsDep = Annotated[BreakoutCommands, Depends(get_breakouts)]
MeetingDep = Annotated[MeetingCommands, Depends(get_meeting)]
SignalsDep = Annotated[SignalCommands, Depends(get_signals)]
RoomsDep = Annotated[RoomCommands, Depends(get_rooms)]
LimitsDep = Annotated[Limits, Depends(get_limits)]
AuthorizationDep = Annotated[str | None, Header(include_in_schema=False)]


async def host_authorization(authorization: Annotated[str | None, Header()] = None) -> str:
    """Return the host's ``Authorization`` header (checked by ``HostFirstRoute`` before the
    body is read, and again by the command under the session's lock)."""
    return authorization or ""


HostAuthorizationDep = Annotated[str, Depends(host_authorization)]
