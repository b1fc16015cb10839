"""Duo's event vocabulary: every WebSocket message type, close code and enum value.

The browser's copy is ``web/js/events.js``; a test checks that both say the same.
"""

from enum import IntEnum, StrEnum

from app.domain.timeline import PHASE_KINDS, Status


class ClientMessage(StrEnum):
    """Messages a client sends."""

    HELLO = "hello"
    PING = "ping"


class ServerMessage(StrEnum):
    """Messages the server sends."""

    STATE = "state"
    PONG = "pong"
    ERROR = "error"


class CloseCode(IntEnum):
    """WebSocket close codes Duo uses."""

    NORMAL = 1000
    POLICY = 1008
    TOO_BIG = 1009
    RESTARTING = 1012
    BAD_TOKEN = 4401
    REMOVED = 4403
    UNKNOWN_SESSION = 4404


BREAKOUT_STATUSES: tuple[str, ...] = tuple(s.value for s in Status)
__all__ = ["BREAKOUT_STATUSES", "PHASE_KINDS", "ClientMessage", "CloseCode", "ServerMessage"]
