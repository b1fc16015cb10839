"""The meeting around the breakout: agreements, rounds, messages, breaks, late duos.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _session_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["session_id"],
        ["duo_session.id"],
        name=f"fk_{table}_session_id_duo_session",
        ondelete="CASCADE",
    )


def upgrade() -> None:
    with op.batch_alter_table("duo_session") as batch:
        batch.add_column(sa.Column("agreements", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("planned_end_ms", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("break_started_at_ms", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("break_ends_at_ms", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("energizer", sa.String(32), nullable=True))
    with op.batch_alter_table("participant") as batch:
        batch.add_column(sa.Column("agreed_at_ms", sa.BigInteger(), nullable=True))
    with op.batch_alter_table("breakout") as batch:
        batch.add_column(sa.Column("first_slots", sa.JSON(), nullable=True))

    op.create_table(
        "speaking_round",
        sa.Column("id", BigId, nullable=False),
        sa.Column("session_id", BigId, nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("question", sa.String(200), nullable=False),
        sa.Column("speakers", sa.JSON(), nullable=False),
        sa.Column("turn", sa.Integer(), nullable=False),
        sa.Column("turn_started_at_ms", sa.BigInteger(), nullable=False),
        sa.Column("seconds_per_speaker", sa.Integer(), nullable=True),
        sa.Column("started_at_ms", sa.BigInteger(), nullable=False),
        _session_fk("speaking_round"),
        sa.PrimaryKeyConstraint("id", name="pk_speaking_round"),
    )
    op.create_index("ix_speaking_round_session_id", "speaking_round", ["session_id"])

    op.create_table(
        "host_message",
        sa.Column("id", BigId, nullable=False),
        sa.Column("session_id", BigId, nullable=False),
        sa.Column("text", sa.String(280), nullable=False),
        sa.Column("sent_at_ms", sa.BigInteger(), nullable=False),
        _session_fk("host_message"),
        sa.PrimaryKeyConstraint("id", name="pk_host_message"),
    )
    op.create_index("ix_host_message_session_id", "host_message", ["session_id"])


def downgrade() -> None:
    op.drop_index("ix_host_message_session_id", table_name="host_message")
    op.drop_table("host_message")
    op.drop_index("ix_speaking_round_session_id", table_name="speaking_round")
    op.drop_table("speaking_round")
    with op.batch_alter_table("breakout") as batch:
        batch.drop_column("first_slots")
    with op.batch_alter_table("participant") as batch:
        batch.drop_column("agreed_at_ms")
    with op.batch_alter_table("duo_session") as batch:
        batch.drop_column("energizer")
        batch.drop_column("break_ends_at_ms")
        batch.drop_column("break_started_at_ms")
        batch.drop_column("planned_end_ms")
        batch.drop_column("agreements")
