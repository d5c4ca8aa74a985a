"""charts: where each person is counted (leader, sign-up day, census status), sign-ups per day and
people per census status for each leader and the campaign, census lookups per minute by host and
status, and the Kafka lag and lookups waiting sampled each minute for Operación

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 18:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "chart_members",
        sa.Column("cedula", sa.String(length=10), primary_key=True),
        sa.Column("leader_id", sa.Uuid(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
    )
    op.create_table(
        "daily_signups",
        sa.Column("scope_id", sa.Uuid(), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("people", sa.Integer(), nullable=False),
    )
    op.create_table(
        "status_counts",
        sa.Column("scope_id", sa.Uuid(), primary_key=True),
        sa.Column("status", sa.String(length=20), primary_key=True),
        sa.Column("people", sa.Integer(), nullable=False),
    )
    op.create_table(
        "lookup_minutes",
        sa.Column("minute", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("host", sa.String(length=50), primary_key=True),
        sa.Column("status", sa.String(length=20), primary_key=True),
        sa.Column("lookups", sa.Integer(), nullable=False),
    )
    op.create_table(
        "flow_samples",
        sa.Column("minute", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("series", sa.String(length=100), primary_key=True),
        sa.Column("value", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    for table in ("flow_samples", "lookup_minutes", "status_counts", "daily_signups"):
        op.drop_table(table)
    op.drop_table("chart_members")
