"""HTTP calls for the meeting around the breakout (additive to the contract; docs/meeting.md)."""

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Response, status

from app.api.deps import AuthorizationDep, HostAuthorizationDep, MeetingDep, SessionsDep
from app.api.guards import HostFirstRoute
from app.api.limits import refuse_guessers
from app.api.schemas import (
    BreakStart,
    DuoCreate,
    GroupAdd,
    MessageCreate,
    RoundStart,
    SessionClose,
    SessionClosed,
    error_responses,
)
from app.events import RoundControl

ERRORS = error_responses(400, 401, 403, 404, 409, 413, 415, 429, 503)
router = APIRouter(
    prefix="/api/sessions/{code}",
    responses=ERRORS,
    dependencies=[Depends(refuse_guessers)],
    route_class=HostFirstRoute,
)
participant_router = APIRouter(
    prefix="/api/sessions/{code}", responses=ERRORS, dependencies=[Depends(refuse_guessers)]
)


@participant_router.post("/participants/{participant_id}/agreement", status_code=204)
async def agree(
    code: str, participant_id: str, service: MeetingDep, authorization: AuthorizationDep = None
) -> Response:
    await service.agree(code, participant_id, authorization)
    return Response(status_code=204)


@router.post("/rounds", status_code=status.HTTP_201_CREATED)
async def start_round(
    code: str, authorization: HostAuthorizationDep, body: RoundStart, service: MeetingDep
) -> dict[str, Any]:
    return await service.start_round(
        code, authorization, body.kind, body.question, body.seconds_per_speaker
    )


@router.post("/rounds/current/next")
async def next_speaker(
    code: str, authorization: HostAuthorizationDep, service: MeetingDep
) -> dict[str, str]:
    await service.round_control(code, authorization, RoundControl.NEXT)
    return {"status": "ok"}


@router.post("/rounds/current/end")
async def end_round(
    code: str, authorization: HostAuthorizationDep, service: MeetingDep
) -> dict[str, str]:
    await service.round_control(code, authorization, RoundControl.END)
    return {"status": "ok"}


@router.post("/messages", status_code=status.HTTP_201_CREATED)
async def send_message(
    code: str, authorization: HostAuthorizationDep, body: MessageCreate, service: MeetingDep
) -> dict[str, Any]:
    return await service.send_message(code, authorization, body.text)


@router.post("/breaks", status_code=status.HTTP_201_CREATED)
async def start_break(
    code: str, authorization: HostAuthorizationDep, body: BreakStart, service: MeetingDep
) -> dict[str, Any]:
    return await service.start_break(code, authorization, body.minutes, body.energizer)


@router.post("/breaks/current/end")
async def end_break(
    code: str, authorization: HostAuthorizationDep, service: MeetingDep
) -> dict[str, str]:
    await service.end_break(code, authorization)
    return {"status": "ok"}


@router.post("/breakouts/current/groups/{index}/members")
async def add_to_group(
    code: str,
    index: int,
    authorization: HostAuthorizationDep,
    body: GroupAdd,
    service: MeetingDep,
) -> dict[str, str]:
    await service.add_to_group(code, authorization, index, body.participant_id)
    return {"status": "ok"}


@router.post("/breakouts/current/groups", status_code=status.HTTP_201_CREATED)
async def add_duo(
    code: str, authorization: HostAuthorizationDep, body: DuoCreate, service: MeetingDep
) -> dict[str, str]:
    await service.add_duo(code, authorization, list(body.participant_ids))
    return {"status": "ok"}


@router.post("/close", response_model=SessionClosed)
async def close_session(
    code: str,
    authorization: HostAuthorizationDep,
    service: SessionsDep,
    body: Annotated[SessionClose | None, Body()] = None,
) -> dict[str, Any]:
    """Close the session for everyone; with ``erase``, delete everything of it now."""
    closed = await service.close(code, authorization, erase=(body or SessionClose()).erase)
    return asdict(closed)
