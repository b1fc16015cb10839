"""Duo's tables. The schema changes only through Alembic migrations (``alembic/versions``)."""

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.sql.expression import false
from sqlmodel import Field, SQLModel

# SQLite only auto-increments an INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _session_fk(index: bool = True) -> Column[int]:
    return Column(
        "session_id",
        BigId,
        ForeignKey("duo_session.id", ondelete="CASCADE"),
        nullable=False,
        index=index,
    )


class DuoSession(SQLModel, table=True):
    """One intervision session: its settings, the host's token hash and its activity."""

    __tablename__ = "duo_session"

    id: int | None = Field(default=None, sa_type=BigId, primary_key=True)
    code: str = Field(sa_column=Column(String(10), nullable=False, unique=True))
    title: str = Field(default="", max_length=100)
    language: str = Field(default="nl", max_length=2)
    phase_seconds: int = 60
    # Seconds per phase kind ({"tell": 120, …}); None: ``phase_seconds`` for every kind.
    phase_seconds_by_kind: dict[str, int] | None = Field(
        default=None, sa_column=Column(JSON, nullable=True)
    )
    host_token_hash: str = Field(max_length=64)
    seed: int = Field(sa_type=BigInteger)
    created_at_ms: int = Field(sa_type=BigInteger)
    last_active_ms: int = Field(sa_type=BigInteger, index=True)
    # Bumped by every change, so that concurrent writers see each other.
    version: int = 0
    agreements: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    planned_end_ms: int | None = Field(default=None, sa_type=BigInteger)
    break_started_at_ms: int | None = Field(default=None, sa_type=BigInteger)
    break_ends_at_ms: int | None = Field(default=None, sa_type=BigInteger)
    energizer: str | None = Field(default=None, max_length=32)
    # Set while the host lets nobody new join.
    locked_at_ms: int | None = Field(default=None, sa_type=BigInteger)
    # Joins the host removed again: the lifetime cap does not count the host's clean-up.
    joins_undone: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default="0")
    )
    # When the host closed the session (None: open); a closed session expires an hour later.
    closed_at_ms: int | None = Field(default=None, sa_type=BigInteger, index=True)
    # Where the groups talk (``app/domain/rooms.py: RoomMode``) and, for a link per group,
    # the base of every room link.
    rooms: str = Field(
        default="breakout_rooms",
        sa_column=Column(String(20), nullable=False, server_default="breakout_rooms"),
    )
    room_link_base: str | None = Field(default=None, max_length=200)
    # While the host asks everyone which of the video tool's rooms they are in: how many.
    rooms_asked: int | None = None


class Participant(SQLModel, table=True):
    """Someone who joined a session. A token hash of None: they left or were removed."""

    __tablename__ = "participant"
    __table_args__ = (
        Index("ix_participant_session_joined", "session_id", "joined_seq"),
        Index("ix_participant_session_token", "session_id", "token_hash"),
        Index("ix_participant_session_address", "session_id", "address_key"),
    )

    id: str = Field(sa_column=Column(String(24), primary_key=True))
    session_id: int = Field(sa_column=_session_fk(index=False))
    name: str = Field(max_length=40)
    token_hash: str | None = Field(
        default=None, sa_column=Column(String(64), nullable=True, unique=True)
    )
    joined_seq: int = 0
    joined_at_ms: int = Field(sa_type=BigInteger)
    left_at_ms: int | None = Field(default=None, sa_type=BigInteger)
    agreed_at_ms: int | None = Field(default=None, sa_type=BigInteger)
    # A key of the address they joined from (``address_key``), never the address itself.
    address_key: str | None = Field(default=None, max_length=32)
    # The video tool's room they said they are in, while the host asks (``rooms_asked``).
    room_answer: int | None = None


class Breakout(SQLModel, table=True):
    """One breakout: its groups (members in rotation order) and its timeline."""

    __tablename__ = "breakout"
    __table_args__ = (UniqueConstraint("session_id", "number", name="uq_breakout_session_number"),)

    id: str = Field(sa_column=Column(String(24), primary_key=True))
    session_id: int = Field(sa_column=_session_fk())
    number: int
    groups: list[list[str]] = Field(sa_column=Column(JSON, nullable=False))
    status: str = Field(max_length=10)
    started_at_ms: int = Field(sa_type=BigInteger)
    slot_ends_ms: list[int] = Field(sa_column=Column(JSON, nullable=False))
    paused_at_ms: int | None = Field(default=None, sa_type=BigInteger)
    # The slot each group starts at (late duos start later); None: every group at slot 0.
    first_slots: list[int] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # Members who left the session during the breakout, and the slot under way when they
    # did (their group goes on without them from there); None: nobody.
    left_slots: dict[str, int] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # Each group's room number; None: group i is room i + 1.
    rooms: list[int] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # Each group's room name under the session's ``room_link_base`` (a link per group).
    room_names: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # Formed from the video tool's rooms people said they are in (not paired by Duo).
    from_rooms: bool = Field(
        default=False, sa_column=Column(Boolean, nullable=False, server_default=false())
    )


class PairHistory(SQLModel, table=True):
    """Two participants who were in one group in a breakout of a session."""

    __tablename__ = "pair_history"

    session_id: int = Field(
        sa_column=Column(BigId, ForeignKey("duo_session.id", ondelete="CASCADE"), primary_key=True)
    )
    breakout_number: int = Field(primary_key=True)
    first_id: str = Field(sa_column=Column(String(24), primary_key=True))
    second_id: str = Field(sa_column=Column(String(24), primary_key=True))


class SpeakingRoundRow(SQLModel, table=True):
    """A check-in or check-out round: the question, the speaking order and whose turn it is."""

    __tablename__ = "speaking_round"

    id: int | None = Field(default=None, sa_type=BigId, primary_key=True)
    session_id: int = Field(sa_column=_session_fk())
    kind: str = Field(max_length=10)
    question: str = Field(max_length=200)
    speakers: list[str] = Field(sa_column=Column(JSON, nullable=False))
    turn: int = 0
    turn_started_at_ms: int = Field(sa_type=BigInteger)
    seconds_per_speaker: int | None = None
    started_at_ms: int = Field(sa_type=BigInteger)


class HostMessage(SQLModel, table=True):
    """A short text the host sent to everyone; kept with the session."""

    __tablename__ = "host_message"

    id: int | None = Field(default=None, sa_type=BigId, primary_key=True)
    session_id: int = Field(sa_column=_session_fk())
    text: str = Field(max_length=280)
    sent_at_ms: int = Field(sa_type=BigInteger)


class HealthProbe(SQLModel, table=True):
    """One row the health check writes, so that a failing write path shows (a full disk)."""

    __tablename__ = "health_probe"

    id: int = Field(sa_type=Integer, primary_key=True)
    checked_at_ms: int = Field(sa_type=BigInteger)


class GroupSignal(SQLModel, table=True):
    """A group member's signal to the host in a breakout ("done" or "help"), and when the
    host saw it; a group shows the newest of its members' (``app/domain/signals.py``)."""

    __tablename__ = "group_signal"

    breakout_id: str = Field(
        sa_column=Column(
            String(24), ForeignKey("breakout.id", ondelete="CASCADE"), primary_key=True
        )
    )
    participant_id: str = Field(sa_column=Column(String(24), primary_key=True))
    session_id: int = Field(sa_column=_session_fk())
    kind: str = Field(max_length=8)
    raised_at_ms: int = Field(sa_type=BigInteger)
    seen_at_ms: int | None = Field(default=None, sa_type=BigInteger)
