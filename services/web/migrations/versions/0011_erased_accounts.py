"""erased accounts: `users.cedula` and `census_status.cedula` widened for the mark a deleted
account keeps instead of its cédula ("x" + its id's hex: unique, and no cédula matches it; a
rebuild writes the sign-up's PENDING row under it before UserDeleted removes that row)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("users", "census_status"):
        op.alter_column(table, "cedula", type_=sa.String(33), existing_nullable=False)


def downgrade() -> None:
    for table in ("users", "census_status"):
        op.alter_column(table, "cedula", type_=sa.String(10), existing_nullable=False)
