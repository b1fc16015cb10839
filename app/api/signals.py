"""HTTP calls for a group's signal to the host: done early, or help needed (docs/meeting.md)."""

from typing import Any

from fastapi import APIRouter, Depends, status

from app.api.deps import AuthorizationDep, HostAuthorizationDep, SignalsDep
from app.api.guards import HostFirstRoute
from app.api.limits import SignalLimit, refuse_guessers
from app.api.schemas import SignalRaise, SignalRaised, error_responses

ERRORS = error_responses(400, 401, 403, 404, 409, 413, 415, 429, 503)
participant_router = APIRouter(
    prefix="/api/sessions/{code}", responses=ERRORS, dependencies=[Depends(refuse_guessers)]
)
host_router = APIRouter(
    prefix="/api/sessions/{code}",
    responses=ERRORS,
    dependencies=[Depends(refuse_guessers)],
    route_class=HostFirstRoute,
)


@participant_router.post(
    "/participants/{participant_id}/signal",
    status_code=status.HTTP_201_CREATED,
    response_model=SignalRaised,
)
async def raise_signal(
    _limit: SignalLimit,
    code: str,
    participant_id: str,
    body: SignalRaise,
    service: SignalsDep,
    authorization: AuthorizationDep = None,
) -> dict[str, Any]:
    return await service.raise_signal(code, participant_id, authorization, body.kind)


@host_router.delete("/breakouts/current/groups/{index}/signal")
async def clear_signal(
    code: str, index: int, authorization: HostAuthorizationDep, service: SignalsDep
) -> dict[str, str]:
    await service.clear(code, authorization, index)
    return {"status": "ok"}
