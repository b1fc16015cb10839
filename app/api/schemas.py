"""Request and response bodies of the HTTP API, validated by pydantic."""

import unicodedata
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, StrictStr


def reject_control_characters(value: str) -> str:
    """Return ``value``. Raises ValueError when it holds a control character."""
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
        raise ValueError("must not contain control characters")
    return value


CleanText = Annotated[StrictStr, AfterValidator(reject_control_characters)]


def person_name(value: str) -> str:
    """Return the trimmed name. Raises ValueError unless it has 1 to 40 characters and no
    control character (checked before trimming, as for the title: a tab or newline at
    either end is a control character too)."""
    name = reject_control_characters(value).strip()
    if not 1 <= len(name) <= 40:
        raise ValueError("the name must have 1 to 40 characters (spaces around it not counted)")
    return name


DEFAULT_AGREEMENTS = {
    "nl": "Wat hier gezegd wordt, blijft hier. Spreek vanuit jezelf en praat positief. "
    "Stiltes zijn oké.",
    "en": "What is said here stays here. Speak from yourself, and positively. Silences are fine.",
}


def reject_control_characters_but_newlines(value: str) -> str:
    """Return ``value``. Raises ValueError for a control character other than a newline."""
    return "\n".join(reject_control_characters(line) for line in value.split("\n"))


def short_text(limit: int) -> Any:
    """Return the type of a trimmed, non-empty text of at most ``limit`` characters."""

    def check(value: str) -> str:
        text = reject_control_characters(value).strip()
        if not 1 <= len(text) <= limit:
            raise ValueError(f"must have 1 to {limit} characters (spaces around it not counted)")
        return text

    return Annotated[StrictStr, AfterValidator(check)]


class SessionCreate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    title: Annotated[CleanText, Field(max_length=100)] = ""
    language: Literal["nl", "en"] = "nl"
    phase_seconds: Annotated[StrictInt, Field(ge=10, le=600)] = 60
    agreements: (
        Annotated[
            StrictStr,
            AfterValidator(reject_control_characters_but_newlines),
            Field(max_length=1000),
        ]
        | None
    ) = None
    planned_end_ms: Annotated[StrictInt, Field(ge=0)] | None = None


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


class ParticipantCreate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: Annotated[StrictStr, AfterValidator(person_name)]


class ParticipantCreated(BaseModel):
    id: str
    token: str


class BreakoutStarted(BaseModel):
    id: str
    number: int
    groups: list[list[str]]


class Extend(BaseModel):
    seconds: Annotated[StrictInt, Field(ge=1, le=600)]


class ControlResult(BaseModel):
    id: str
    number: int
    status: Literal["running", "paused", "finished"]
    current_slot: int
    remaining_ms: int


class ServerTime(BaseModel):
    server_ms: int


class RoundStart(BaseModel):
    kind: Literal["checkin", "checkout"]
    question: short_text(200)  # type: ignore[valid-type]
    seconds_per_speaker: Annotated[StrictInt, Field(ge=10, le=600)] | None = None


class MessageCreate(BaseModel):
    text: short_text(280)  # type: ignore[valid-type]


class BreakStart(BaseModel):
    minutes: Annotated[StrictInt, Field(ge=1, le=60)] = 10
    energizer: Literal["colour_race", "yoga", "pictionary"] | None = None


class GroupAdd(BaseModel):
    participant_id: StrictStr


class DuoCreate(BaseModel):
    participant_ids: Annotated[list[StrictStr], Field(min_length=2, max_length=2)]
