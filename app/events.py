"""Duo's event vocabulary: every WebSocket message type, close code and enum value.

The browser's copy is ``web/js/events.js``; a test checks that both say the same. The
values the domain defines (phase kinds, statuses, activities, round kinds, energizers,
questions, the count shown exactly) are declared there once and named here, so that one list
serves both sides.
"""

from enum import IntEnum, StrEnum

from app.domain.counting import EXACT_COUNT_BELOW
from app.domain.meeting import (
    BREAK_SUGGESTED_AFTER_MS,
    CHECKIN_QUESTIONS,
    CHECKOUT_QUESTIONS,
    CLOSED_LIFETIME_MS,
    ENERGIZERS,
    HOST,
    Activity,
    Energizer,
    RoundKind,
)
from app.domain.rooms import MAX_ROOMS_ASKED, RoomMode
from app.domain.signals import SignalKind
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
    TRY_AGAIN_LATER = 1013
    BAD_TOKEN = 4401
    REMOVED = 4403
    UNKNOWN_SESSION = 4404


class Speaker(StrEnum):
    """Who may stand in a speaking order besides participant ids."""

    HOST = HOST


class Language(StrEnum):
    """The languages a session can be held in."""

    NL = "nl"
    EN = "en"


class BreakoutControl(StrEnum):
    """The host's controls of a running breakout (``POST …/breakouts/current/{control}``)."""

    PAUSE = "pause"
    RESUME = "resume"
    EXTEND = "extend"
    SKIP = "skip"
    END = "end"


class RoundControl(StrEnum):
    """The host's controls of a check-in or check-out (``POST …/rounds/current/{control}``)."""

    NEXT = "next"
    END = "end"


LANGUAGES: tuple[str, ...] = tuple(language.value for language in Language)
BREAKOUT_STATUSES: tuple[str, ...] = tuple(s.value for s in Status)
ROUND_KINDS: tuple[str, ...] = tuple(k.value for k in RoundKind)
ROOM_MODES: tuple[str, ...] = tuple(mode.value for mode in RoomMode)

__all__ = [
    "BREAK_SUGGESTED_AFTER_MS",
    "BREAKOUT_STATUSES",
    "CHECKIN_QUESTIONS",
    "CHECKOUT_QUESTIONS",
    "CLOSED_LIFETIME_MS",
    "ENERGIZERS",
    "EXACT_COUNT_BELOW",
    "LANGUAGES",
    "MAX_ROOMS_ASKED",
    "ROOM_MODES",
    "PHASE_KINDS",
    "ROUND_KINDS",
    "Activity",
    "BreakoutControl",
    "ClientMessage",
    "CloseCode",
    "Energizer",
    "Language",
    "RoomMode",
    "RoundControl",
    "RoundKind",
    "ServerMessage",
    "SignalKind",
    "Speaker",
    "Status",
]
