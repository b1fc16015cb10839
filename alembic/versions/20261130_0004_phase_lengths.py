"""A length per phase kind (tell, silence, question, answer) for a session.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("duo_session") as batch:
        batch.add_column(sa.Column("phase_seconds_by_kind", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("duo_session") as batch:
        batch.drop_column("phase_seconds_by_kind")
