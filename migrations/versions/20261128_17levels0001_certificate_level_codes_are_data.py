"""certificate level codes are data: drop the CHECK that named purwa/madya/utama

Level codes come from the curriculum's levels file; a ministry that renames a level or adds
a fourth must not need a schema change. The issuing service checks the code against the
curriculum in force.

Revision ID: 17levels0001
Revises: 16a0c0de0002
Create Date: 2026-11-28 04:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "17levels0001"
down_revision: str | None = "16a0c0de0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


NAME = "ck_certificate_level_known"


def upgrade() -> None:
    # Present unless this revision ran before and was downgraded (which leaves it dropped).
    names = {c["name"] for c in sa.inspect(op.get_bind()).get_check_constraints("certificate")}
    if NAME in names:
        with op.batch_alter_table("certificate", schema=None) as batch_op:
            batch_op.drop_constraint(op.f(NAME), type_="check")


def downgrade() -> None:
    # Deliberately not restored: certificates issued under a levels file with other codes
    # would violate it, and a downgrade must not fail on valid data.
    pass
