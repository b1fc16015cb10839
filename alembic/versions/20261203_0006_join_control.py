"""The host's control over joins: a session can be locked, the joins the host removed again
are counted apart, and each participant keeps a key of the address they joined from.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("duo_session") as batch:
        batch.add_column(sa.Column("locked_at_ms", sa.BigInteger(), nullable=True))
        batch.add_column(
            sa.Column("joins_undone", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("participant") as batch:
        batch.add_column(sa.Column("address_key", sa.String(32), nullable=True))
    # A join counts the joins from its address under the session's lock.
    op.create_index("ix_participant_session_address", "participant", ["session_id", "address_key"])


def downgrade() -> None:
    op.drop_index("ix_participant_session_address", table_name="participant")
    with op.batch_alter_table("participant") as batch:
        batch.drop_column("address_key")
    with op.batch_alter_table("duo_session") as batch:
        batch.drop_column("joins_undone")
        batch.drop_column("locked_at_ms")
