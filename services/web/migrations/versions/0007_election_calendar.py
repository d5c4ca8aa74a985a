"""election calendar: the election date admins set, and revalidations planned against it (planned
runs in operation_runs: when they are due and how many days before the election)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 15:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "election_calendar",
        sa.Column("calendar_key", sa.String(length=20), nullable=False),
        sa.Column("election_date", sa.Date(), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("calendar_key"),
    )
    op.add_column("operation_runs", sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("operation_runs", sa.Column("days_before", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("operation_runs", "days_before")
    op.drop_column("operation_runs", "due_at")
    op.drop_table("election_calendar")
