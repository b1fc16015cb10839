"""The HTTP API of the contract: parse, call the service, answer."""

import asyncio
import io
from dataclasses import asdict
from functools import lru_cache
from typing import Annotated

import segno
from fastapi import APIRouter, Body, Depends, Request, Response, status

from app.api.deps import (
    AuthorizationDep,
    BreakoutsDep,
    ClockDep,
    HostAuthorizationDep,
    ServicesDep,
    SessionsDep,
)
from app.api.guards import HostFirstRoute
from app.api.limits import JoinLimit, SessionCreationLimit, client_ip, refuse_guessers
from app.api.links import public_origin
from app.api.schemas import (
    DEFAULT_AGREEMENTS,
    BreakoutStart,
    BreakoutStarted,
    ControlResult,
    Extend,
    Health,
    ParticipantCreate,
    ParticipantCreated,
    ParticipantsRemove,
    ParticipantsRemoved,
    ServerTime,
    SessionCreate,
    SessionCreated,
    SessionInfo,
    SessionLock,
    error_responses,
)
from app.events import BreakoutControl

router = APIRouter(
    prefix="/api",
    responses=error_responses(400, 403, 413, 415),
    dependencies=[Depends(refuse_guessers)],
)
host_router = APIRouter(
    prefix="/api",
    responses=error_responses(400, 413, 415),
    dependencies=[Depends(refuse_guessers)],
    route_class=HostFirstRoute,
)
NO_STORE = {"Cache-Control": "no-store"}
SESSION_ERRORS = error_responses(404, 429, 503)
HOST_ERRORS = error_responses(401, 403, 404, 409, 429, 503)


@router.post(
    "/sessions",
    status_code=status.HTTP_201_CREATED,
    response_model=SessionCreated,
    responses=error_responses(400, 429, 503),
)
async def create_session(
    _limit: SessionCreationLimit,
    request: Request,
    response: Response,
    service: SessionsDep,
    services: ServicesDep,
    body: Annotated[SessionCreate | None, Body()] = None,
) -> SessionCreated:
    base = public_origin(request, services.settings)  # before anything is written
    data = body or SessionCreate()
    agreements = DEFAULT_AGREEMENTS[data.language] if data.agreements is None else data.agreements
    created = await service.create_session(
        data.title.strip(),
        data.language.value,
        data.phase_seconds,
        agreements.strip(),
        data.planned_end_ms,
        data.phase_seconds_by_kind.chosen() if data.phase_seconds_by_kind else None,
        data.rooms.value,
        data.room_link_base,
    )
    response.headers.update(NO_STORE)
    return SessionCreated(
        code=created.code,
        host_token=created.host_token,
        join_url=f"{base}/s/{created.code}",
        host_url=f"{base}/host/{created.code}#{created.host_token}",
    )


@router.get("/sessions/{code}", response_model=SessionInfo, responses=SESSION_ERRORS)
async def get_session(code: str, service: SessionsDep) -> dict[str, object]:
    return await service.describe(code)


@router.get(
    "/sessions/{code}/qr.svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}, **SESSION_ERRORS},
)
async def session_qr(
    code: str, request: Request, service: SessionsDep, services: ServicesDep
) -> Response:
    """Return the join link as an SVG QR code, made here so no page loads it from elsewhere
    (in a worker thread: about 15 ms, once per session and origin)."""
    base = public_origin(request, services.settings)
    info = await service.describe(code)
    svg = await asyncio.to_thread(qr_svg, f"{base}/s/{info['code']}")
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "max-age=3600"})


@lru_cache(maxsize=1024)
def qr_svg(url: str) -> bytes:
    """Return ``url`` as a standalone SVG QR code (with xmlns, so that <img> shows it); made
    once per link (about 15 ms each), kept for the sessions asked for most recently."""
    buffer = io.BytesIO()
    qr = segno.make(url, error="m")
    qr.save(buffer, kind="svg", xmldecl=False, scale=8, border=2, dark="#111", light="#fff")
    return buffer.getvalue()


@router.post(
    "/sessions/{code}/participants",
    status_code=status.HTTP_201_CREATED,
    response_model=ParticipantCreated,
    responses=error_responses(404, 409, 410, 423, 429, 503),
)
async def join_session(
    _limit: JoinLimit,
    code: str,
    body: ParticipantCreate,
    request: Request,
    response: Response,
    service: SessionsDep,
) -> ParticipantCreated:
    joined = await service.join(code, body.name, client_ip(request))
    response.headers.update(NO_STORE)
    return ParticipantCreated(id=joined.id, token=joined.token)


@router.delete(
    "/sessions/{code}/participants/{participant_id}",
    status_code=204,
    responses=error_responses(401, 403, 404, 429, 503),
)
async def remove_participant(
    code: str, participant_id: str, service: SessionsDep, authorization: AuthorizationDep = None
) -> Response:
    await service.remove_participant(code, participant_id, authorization)
    return Response(status_code=204)


@host_router.post(
    "/sessions/{code}/removals",
    response_model=ParticipantsRemoved,
    responses=HOST_ERRORS,
)
async def remove_participants(
    code: str, body: ParticipantsRemove, service: SessionsDep, authorization: HostAuthorizationDep
) -> ParticipantsRemoved:
    """Remove many participants at once (a burst of joins from one address, say)."""
    removed = await service.remove_participants(code, body.ids, authorization)
    return ParticipantsRemoved(removed=removed)


@host_router.post("/sessions/{code}/lock", response_model=SessionLock, responses=HOST_ERRORS)
async def lock_session(
    code: str, body: SessionLock, service: SessionsDep, authorization: HostAuthorizationDep
) -> SessionLock:
    """Let nobody new join (``locked: true``), or let them again."""
    return SessionLock(locked=await service.lock(code, body.locked, authorization))


@host_router.post(
    "/sessions/{code}/breakouts",
    status_code=status.HTTP_201_CREATED,
    response_model=BreakoutStarted,
    responses=HOST_ERRORS,
)
async def start_breakout(
    code: str,
    service: BreakoutsDep,
    authorization: HostAuthorizationDep,
    body: Annotated[BreakoutStart | None, Body()] = None,
) -> BreakoutStarted:
    from_rooms = body is not None and body.from_rooms
    breakout = await service.start_breakout(code, authorization, from_rooms)
    return BreakoutStarted(id=breakout.id, number=breakout.number, groups=breakout.groups)


@host_router.post(
    "/sessions/{code}/breakouts/current/extend",
    response_model=ControlResult,
    responses=HOST_ERRORS,
)
async def extend_breakout(
    code: str, authorization: HostAuthorizationDep, body: Extend, service: BreakoutsDep
) -> dict[str, object]:
    return asdict(await service.control(code, authorization, BreakoutControl.EXTEND, body.seconds))


def _control_route(action: BreakoutControl) -> None:
    async def control(
        code: str, service: BreakoutsDep, authorization: HostAuthorizationDep
    ) -> dict[str, object]:
        return asdict(await service.control(code, authorization, action))

    control.__name__ = f"{action}_breakout"
    host_router.add_api_route(
        f"/sessions/{{code}}/breakouts/current/{action}",
        control,
        methods=["POST"],
        response_model=ControlResult,
        responses=HOST_ERRORS,
        name=f"{action}_breakout",
    )


for _action in BreakoutControl:
    if _action is not BreakoutControl.EXTEND:  # it has a body: its own route above
        _control_route(_action)


@router.get(
    "/health",
    response_model=Health,
    responses={
        503: {
            "model": Health,
            "description": "The database or Redis is unreachable, or the "
            "database takes no writes (a full disk)",
        }
    },
)
async def health(services: ServicesDep, response: Response) -> dict[str, object]:
    """Report whether the database answers and takes writes, and (when configured) whether
    Redis answers."""
    database = await services.store.health()
    redis = (
        "not configured"
        if not services.settings.redis_url
        else ("ok" if services.hub.healthy else "unreachable")
    )
    ok = database == "ok" and redis != "unreachable"
    response.status_code = 200 if ok else 503
    return {"status": "ok" if ok else "degraded", "database": database, "redis": redis}


@router.get("/time", response_model=ServerTime)
async def server_time(clock: ClockDep) -> ServerTime:
    return ServerTime(server_ms=clock.now_ms())
