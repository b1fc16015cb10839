"""A group's signal to the host during a breakout: done early, or help needed.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "group_signal",
        sa.Column("breakout_id", sa.String(24), nullable=False),
        sa.Column("participant_id", sa.String(24), nullable=False),
        sa.Column("session_id", BigId, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("raised_at_ms", sa.BigInteger(), nullable=False),
        sa.Column("seen_at_ms", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["breakout_id"],
            ["breakout.id"],
            name="fk_group_signal_breakout_id_breakout",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["duo_session.id"],
            name="fk_group_signal_session_id_duo_session",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("breakout_id", "participant_id", name="pk_group_signal"),
    )
    op.create_index("ix_group_signal_session_id", "group_signal", ["session_id"])


def downgrade() -> None:
    op.drop_index("ix_group_signal_session_id", table_name="group_signal")
    op.drop_table("group_signal")
