"""Request and response bodies of the HTTP API, validated by pydantic."""

import unicodedata
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
)

from app.domain.rooms import (
    LINK_BASE_PATTERN,
    MAX_ROOM_LINK_BASE,
    MAX_ROOMS_ASKED,
    RoomMode,
    require_link_base,
)
from app.events import Energizer, Language, RoundKind, SignalKind, Status


def reject_control_characters(value: str) -> str:
    """Return ``value``. Raises ValueError when it holds a control character."""
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
        raise ValueError("must not contain control characters")
    return value


# The same rules as regular expressions, for the OpenAPI schema only (the validators decide):
# no control character (category Cc) and, for a trimmed text, 1 to ``limit`` characters once
# the white space around it (str.strip) is gone.
_CC = r"\x00-\x1f\x7f-\x9f"
NO_CONTROL_PATTERN = rf"^[^{_CC}]*$"


def trimmed_pattern(limit: int) -> str:
    """Return a pattern for a text with no control character, 1 to ``limit`` once trimmed."""
    return rf"^[^\S{_CC}]*[^\s{_CC}](?:[^{_CC}]{{0,{limit - 2}}}[^\s{_CC}])?[^\S{_CC}]*$"


# The schema's pattern for a name (the validator decides; this tells clients most of it):
# no control character, no direction-changing character, 1 to 40 once trimmed.
_BIDI = r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
NAME_PATTERN = (
    rf"^[^\S{_CC}]*[^\s{_CC}{_BIDI}](?:[^{_CC}{_BIDI}]{{0,38}}[^\s{_CC}{_BIDI}])?[^\S{_CC}]*$"
)

CleanText = Annotated[
    StrictStr,
    AfterValidator(reject_control_characters),
    Field(json_schema_extra={"pattern": NO_CONTROL_PATTERN}),
]


def whole_number(value: Any) -> Any:
    """Return a float without a fraction (JSON's ``60.0``, an integer to JSON Schema) as an
    int; anything else unchanged, for StrictInt to judge (strings and booleans stay refused)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


WHOLE = BeforeValidator(whole_number)  # after the constraints, so the schema keeps them
MAX_SAFE_INTEGER = 2**53 - 1  # the largest integer JavaScript (and a BIGINT column) holds


# Characters that turn the direction of the text around them (a right-to-left override
# reverses a partner's instructions): refused in names.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Letters that show nothing (Hangul fillers, the blank Braille pattern, Khmer inherent vowels).
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u17b4\u17b5\u180e")
INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cf", "Mn", "Me", "Cc"})
MAX_STACKED_MARKS = 3  # combining marks on one letter (Vietnamese needs two)


def _visible(ch: str) -> bool:
    return ch not in BLANK_LETTERS and unicodedata.category(ch) not in INVISIBLE_CATEGORIES


def _stacked_marks(text: str) -> int:
    """Return the most combining marks on one letter anywhere in ``text``, as it is shown:
    counted decomposed (NFD: the marks a precomposed letter carries count too), and through
    the joiners and other format characters between them (ZWJ and ZWNJ do not end a run)."""
    most = run = 0
    for ch in unicodedata.normalize("NFD", text):
        category = unicodedata.category(ch)
        if category == "Cf":
            continue
        run = run + 1 if category in ("Mn", "Me") else 0
        most = max(most, run)
    return most


def person_name(value: str) -> str:
    """Return the trimmed name in NFC. Raises ValueError unless it has 1 to 40 characters, no
    control character (checked before trimming, as for the title: a tab or newline at
    either end is a control character too), no character that turns the text's direction,
    something visible, and no more than a few combining marks on a letter."""
    name = unicodedata.normalize("NFC", reject_control_characters(value)).strip()
    if not 1 <= len(name) <= 40:
        raise ValueError("the name must have 1 to 40 characters (spaces around it not counted)")
    if any(ch in BIDI_CONTROLS for ch in name):
        raise ValueError("the name must not contain characters that change the text direction")
    if not any(_visible(ch) for ch in name):
        raise ValueError("the name must contain something visible")
    if _stacked_marks(name) > MAX_STACKED_MARKS:
        raise ValueError("the name has too many accents stacked on one letter")
    return name


DEFAULT_AGREEMENTS = {
    "nl": "Wat hier gezegd wordt, blijft hier. Spreek vanuit jezelf en praat positief. "
    "Stiltes zijn oké.",
    "en": "What is said here stays here. Speak from your own experience and keep it positive. "
    "Silences are fine.",
}


def reject_control_characters_but_newlines(value: str) -> str:
    """Return ``value``. Raises ValueError for a control character other than a newline."""
    return "\n".join(reject_control_characters(line) for line in value.split("\n"))


def trimmed_text(limit: int) -> AfterValidator:
    """Return the check of a trimmed, non-empty text of at most ``limit`` characters."""

    def check(value: str) -> str:
        text = reject_control_characters(value).strip()
        if not 1 <= len(text) <= limit:
            raise ValueError(f"must have 1 to {limit} characters (spaces around it not counted)")
        return text

    return AfterValidator(check)


QuestionText = Annotated[
    StrictStr, trimmed_text(200), Field(json_schema_extra={"pattern": trimmed_pattern(200)})
]
MessageText = Annotated[
    StrictStr, trimmed_text(280), Field(json_schema_extra={"pattern": trimmed_pattern(280)})
]


PhaseSeconds = Annotated[StrictInt, Field(ge=10, le=600), WHOLE]


class PhaseSecondsByKind(BaseModel):
    """Seconds per phase kind; a kind left out lasts ``phase_seconds``."""

    model_config = ConfigDict(extra="forbid")

    tell: PhaseSeconds | None = None
    silence: PhaseSeconds | None = None
    question: PhaseSeconds | None = None
    answer: PhaseSeconds | None = None

    def chosen(self) -> dict[str, int]:
        """Return the kinds given, by name."""
        return {kind: seconds for kind, seconds in self.model_dump().items() if seconds is not None}


RoomLinkBase = Annotated[
    StrictStr,
    AfterValidator(require_link_base),
    Field(
        max_length=MAX_ROOM_LINK_BASE,
        json_schema_extra={"pattern": LINK_BASE_PATTERN},
        examples=["https://meet.jit.si/"],
    ),
]


class SessionCreate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    title: Annotated[CleanText, Field(max_length=100)] = ""
    language: Language = Language.NL
    phase_seconds: PhaseSeconds = 60
    phase_seconds_by_kind: PhaseSecondsByKind | None = None
    agreements: (
        Annotated[
            StrictStr,
            AfterValidator(reject_control_characters_but_newlines),
            Field(
                max_length=1000, json_schema_extra={"pattern": r"^[^\x00-\x09\x0b-\x1f\x7f-\x9f]*$"}
            ),
        ]
        | None
    ) = None
    planned_end_ms: Annotated[StrictInt, Field(ge=0, le=MAX_SAFE_INTEGER), WHOLE] | None = None
    rooms: RoomMode = RoomMode.BREAKOUT_ROOMS
    room_link_base: RoomLinkBase | None = None


class SessionSettings(BaseModel):
    """The settings a host may change in the lobby; a field left out stays as it is."""

    model_config = ConfigDict(extra="ignore")

    rooms: RoomMode | None = None
    room_link_base: RoomLinkBase | None = None


class RoomsAsk(BaseModel):
    rooms: Annotated[StrictInt, Field(ge=1, le=MAX_ROOMS_ASKED), WHOLE]


class RoomAnswer(BaseModel):
    room: Annotated[StrictInt, Field(ge=1, le=MAX_ROOMS_ASKED), WHOLE]


class BreakoutStart(BaseModel):
    """Optional: ``from_rooms`` starts the breakout from the rooms people said they are in."""

    model_config = ConfigDict(extra="ignore")

    from_rooms: bool = False


class SessionCreated(BaseModel):
    code: str
    host_token: str
    join_url: str
    host_url: str


class SessionInfo(BaseModel):
    code: str
    title: str
    language: str
    phase_seconds: int
    participant_count: int
    closed: bool = False  # the host closed it: it takes no one any more (docs/meeting.md)


class SessionClose(BaseModel):
    erase: StrictBool = False


class SessionClosed(BaseModel):
    closed_at_ms: int
    erased: bool


class ParticipantCreate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: Annotated[
        StrictStr,
        AfterValidator(person_name),
        Field(json_schema_extra={"pattern": NAME_PATTERN}),
    ]


class ParticipantCreated(BaseModel):
    id: str
    token: str


class BreakoutStarted(BaseModel):
    id: str
    number: int
    groups: list[list[str]]


class Extend(BaseModel):
    seconds: Annotated[StrictInt, Field(ge=1, le=600), WHOLE]


class ControlResult(BaseModel):
    id: str
    number: int
    status: Status
    current_slot: int
    remaining_ms: int


class ServerTime(BaseModel):
    server_ms: int


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    database: Literal["ok", "unreachable", "not writable"]
    redis: Literal["ok", "unreachable", "not configured"]


class ErrorDetail(BaseModel):
    """The body of every error answer but 422: a human-readable ``detail``."""

    detail: str


_RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}}
_ERRORS: dict[int, dict[str, Any]] = {
    400: {"description": "The body is not JSON text (not UTF-8)"},
    401: {"description": "No bearer token"},
    403: {"description": "The token does not allow this, or a browser page of another site"},
    404: {"description": "Unknown or expired session, or unknown participant"},
    409: {"description": "Not possible in the session's current state"},
    410: {"description": "The session is closed"},
    413: {"description": "Request body too large"},
    415: {"description": "A body that is not JSON (Content-Type: application/json)"},
    423: {"description": "The host has locked the session: nobody new can join"},
    429: {"description": "Too many requests from this address", "headers": _RETRY_AFTER},
    503: {"description": "The database is unavailable", "headers": _RETRY_AFTER},
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """Return the OpenAPI ``responses`` of the error answers with ``codes``."""
    return {code: {**_ERRORS[code], "model": ErrorDetail} for code in codes}


class RoundStart(BaseModel):
    kind: RoundKind
    question: QuestionText
    seconds_per_speaker: Annotated[StrictInt, Field(ge=10, le=600), WHOLE] | None = None


class MessageCreate(BaseModel):
    text: MessageText


class BreakStart(BaseModel):
    minutes: Annotated[StrictInt, Field(ge=1, le=60), WHOLE] = 10
    energizer: Energizer | None = None


class GroupAdd(BaseModel):
    participant_id: StrictStr


class DuoCreate(BaseModel):
    participant_ids: Annotated[list[StrictStr], Field(min_length=2, max_length=2)]


class SignalRaise(BaseModel):
    kind: SignalKind


class SignalRaised(BaseModel):
    group: int
    kind: SignalKind
    raised_at_ms: int


class SessionLock(BaseModel):
    locked: StrictBool


class ParticipantsRemove(BaseModel):
    ids: Annotated[
        list[Annotated[StrictStr, Field(max_length=24)]], Field(min_length=1, max_length=500)
    ]


class ParticipantsRemoved(BaseModel):
    removed: list[str]
