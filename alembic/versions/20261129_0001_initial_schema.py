"""Initial schema: sessions, participants, breakouts and pair history.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite only auto-increments an INTEGER PRIMARY KEY.
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _session_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["session_id"],
        ["duo_session.id"],
        name=f"fk_{table}_session_id_duo_session",
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "duo_session",
        sa.Column("id", BigId, nullable=False),
        sa.Column("code", sa.String(10), nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("phase_seconds", sa.Integer(), nullable=False),
        sa.Column("host_token_hash", sa.String(64), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("created_at_ms", sa.BigInteger(), nullable=False),
        sa.Column("last_active_ms", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_duo_session"),
        sa.UniqueConstraint("code", name="uq_duo_session_code"),
    )
    op.create_index("ix_duo_session_last_active_ms", "duo_session", ["last_active_ms"])

    op.create_table(
        "participant",
        sa.Column("id", sa.String(24), nullable=False),
        sa.Column("session_id", BigId, nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=True),
        sa.Column("joined_seq", sa.Integer(), nullable=False),
        sa.Column("joined_at_ms", sa.BigInteger(), nullable=False),
        sa.Column("left_at_ms", sa.BigInteger(), nullable=True),
        _session_fk("participant"),
        sa.PrimaryKeyConstraint("id", name="pk_participant"),
        sa.UniqueConstraint("token_hash", name="uq_participant_token_hash"),
    )
    op.create_index("ix_participant_session_joined", "participant", ["session_id", "joined_seq"])

    op.create_table(
        "breakout",
        sa.Column("id", sa.String(24), nullable=False),
        sa.Column("session_id", BigId, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("groups", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("started_at_ms", sa.BigInteger(), nullable=False),
        sa.Column("slot_ends_ms", sa.JSON(), nullable=False),
        sa.Column("paused_at_ms", sa.BigInteger(), nullable=True),
        _session_fk("breakout"),
        sa.PrimaryKeyConstraint("id", name="pk_breakout"),
        sa.UniqueConstraint("session_id", "number", name="uq_breakout_session_number"),
    )
    op.create_index("ix_breakout_session_id", "breakout", ["session_id"])

    op.create_table(
        "pair_history",
        sa.Column("session_id", BigId, nullable=False),
        sa.Column("breakout_number", sa.Integer(), nullable=False),
        sa.Column("first_id", sa.String(24), nullable=False),
        sa.Column("second_id", sa.String(24), nullable=False),
        _session_fk("pair_history"),
        sa.PrimaryKeyConstraint(
            "session_id", "breakout_number", "first_id", "second_id", name="pk_pair_history"
        ),
    )


def downgrade() -> None:
    op.drop_table("pair_history")
    op.drop_index("ix_breakout_session_id", table_name="breakout")
    op.drop_table("breakout")
    op.drop_index("ix_participant_session_joined", table_name="participant")
    op.drop_table("participant")
    op.drop_index("ix_duo_session_last_active_ms", table_name="duo_session")
    op.drop_table("duo_session")
