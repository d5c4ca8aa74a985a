"""erased accounts: the cédula columns of users, census_status, chart_members and user_history
widened for the mark a deleted
account keeps instead of its cédula ("x" + its id's hex: unique, and no cédula matches it; a
rebuild writes the sign-up's PENDING row under it before UserDeleted removes that row)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("users", "census_status", "chart_members", "user_history"):
        op.alter_column(table, "cedula", type_=sa.String(33))


def downgrade() -> None:
    for table in ("users", "census_status", "chart_members", "user_history"):
        op.alter_column(table, "cedula", type_=sa.String(10))
