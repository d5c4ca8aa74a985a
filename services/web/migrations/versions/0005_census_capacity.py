"""census capacity: the newest CensusCapacityReported (the census hosts' budget, circuits and the
captcha spend), one row, for the Operación page

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 14:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "census_capacity",
        sa.Column("report_key", sa.String(length=20), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("report", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("report_key"),
    )


def downgrade() -> None:
    op.drop_table("census_capacity")
