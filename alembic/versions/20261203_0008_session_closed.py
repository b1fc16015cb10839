"""When the host closed a session (issue 18.2): nothing starts any more, and it expires an
hour later.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("duo_session") as batch:
        batch.add_column(sa.Column("closed_at_ms", sa.BigInteger(), nullable=True))
    # The expiry sweep finds closed sessions by it (beside the idle ones by last_active_ms).
    op.create_index("ix_duo_session_closed_at_ms", "duo_session", ["closed_at_ms"])


def downgrade() -> None:
    op.drop_index("ix_duo_session_closed_at_ms", table_name="duo_session")
    with op.batch_alter_table("duo_session") as batch:
        batch.drop_column("closed_at_ms")
