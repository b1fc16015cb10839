"""Request and response bodies of the HTTP API, validated by pydantic."""

import unicodedata
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, StrictStr


def reject_control_characters(value: str) -> str:
    """Return ``value``. Raises ValueError when it holds a control character."""
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
        raise ValueError("must not contain control characters")
    return value


CleanText = Annotated[StrictStr, AfterValidator(reject_control_characters)]


def person_name(value: str) -> str:
    """Return the trimmed name. Raises ValueError unless it has 1 to 40 characters."""
    name = value.strip()
    if not 1 <= len(name) <= 40:
        raise ValueError("the name must have 1 to 40 characters (spaces around it not counted)")
    return reject_control_characters(name)


class SessionCreate(BaseModel):
    model_config = ConfigDict(extra="ignore")

    title: Annotated[CleanText, Field(max_length=100)] = ""
    language: Literal["nl", "en"] = "nl"
    phase_seconds: Annotated[StrictInt, Field(ge=10, le=600)] = 60


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
