"""Where the groups talk: the session's choice of rooms and link base, the rooms asked and
each participant's answer, each breakout group's room number and room name, and whether a
breakout was formed from the rooms.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("duo_session") as batch:
        batch.add_column(
            sa.Column("rooms", sa.String(20), nullable=False, server_default="breakout_rooms")
        )
        batch.add_column(sa.Column("room_link_base", sa.String(200), nullable=True))
        batch.add_column(sa.Column("rooms_asked", sa.Integer(), nullable=True))
    with op.batch_alter_table("participant") as batch:
        batch.add_column(sa.Column("room_answer", sa.Integer(), nullable=True))
    with op.batch_alter_table("breakout") as batch:
        batch.add_column(sa.Column("rooms", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("room_names", sa.JSON(), nullable=True))
        batch.add_column(
            sa.Column("from_rooms", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("breakout") as batch:
        batch.drop_column("from_rooms")
        batch.drop_column("room_names")
        batch.drop_column("rooms")
    with op.batch_alter_table("participant") as batch:
        batch.drop_column("room_answer")
    with op.batch_alter_table("duo_session") as batch:
        batch.drop_column("rooms_asked")
        batch.drop_column("room_link_base")
        batch.drop_column("rooms")
