"""census answers: the latest final answer per cédula, so fresh ones stand in for a lookup

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06 10:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "census_answers",
        sa.Column("cedula", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("result", JSONB(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("host", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("cedula"),
    )


def downgrade() -> None:
    op.drop_table("census_answers")
