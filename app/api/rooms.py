"""HTTP calls for where the groups talk: the host's choice of rooms in the lobby, asking
which of the video tool's rooms everyone is in, and the answers (docs/meeting.md)."""

from typing import Any

from fastapi import APIRouter, Depends, Response

from app.api.deps import AuthorizationDep, HostAuthorizationDep, RoomsDep
from app.api.guards import HostFirstRoute
from app.api.limits import refuse_guessers
from app.api.schemas import RoomAnswer, RoomsAsk, SessionSettings, error_responses

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


@host_router.patch("/settings")
async def change_settings(
    code: str, authorization: HostAuthorizationDep, body: SessionSettings, service: RoomsDep
) -> dict[str, Any]:
    """Change where the groups talk (``rooms``, ``room_link_base``); in the lobby only."""
    return await service.change_settings(code, authorization, body.rooms, body.room_link_base)


@host_router.post("/room-question", status_code=201)
async def ask_rooms(
    code: str, authorization: HostAuthorizationDep, body: RoomsAsk, service: RoomsDep
) -> dict[str, int]:
    """Ask everyone which of ``rooms`` breakout rooms of the video tool they are in."""
    await service.ask(code, authorization, body.rooms)
    return {"rooms": body.rooms}


@host_router.post("/room-question/end", status_code=204)
async def stop_asking(
    code: str, authorization: HostAuthorizationDep, service: RoomsDep
) -> Response:
    await service.ask(code, authorization, None)
    return Response(status_code=204)


@participant_router.put("/participants/{participant_id}/room", status_code=204)
async def answer_room(
    code: str,
    participant_id: str,
    body: RoomAnswer,
    service: RoomsDep,
    authorization: AuthorizationDep = None,
) -> Response:
    """Say which breakout room of the video tool you are in (your own token)."""
    await service.answer(code, participant_id, authorization, body.room)
    return Response(status_code=204)
