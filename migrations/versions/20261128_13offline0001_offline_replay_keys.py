"""offline: idempotency keys of checklist ticks replayed from a phone

Revision ID: 13offline0001
Revises: 17levels0001
Create Date: 2026-11-28 03:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "13offline0001"
down_revision: str | None = "17levels0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "offline_replay_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("result_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["result_id"],
            ["practical_result.id"],
            name=op.f("fk_offline_replay_key_result_id_practical_result"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_offline_replay_key_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offline_replay_key")),
        sa.UniqueConstraint("key", name=op.f("uq_offline_replay_key_key")),
    )
    with op.batch_alter_table("offline_replay_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_offline_replay_key_result_id"), ["result_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_offline_replay_key_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("offline_replay_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offline_replay_key_user_id"))
        batch_op.drop_index(batch_op.f("ix_offline_replay_key_result_id"))
    op.drop_table("offline_replay_key")
