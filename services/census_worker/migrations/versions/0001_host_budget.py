"""host budget: one row per census host (its next turn, holder, lease, cooldown), used turns

Revision ID: 0001
Revises:
Create Date: 2026-12-05 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "census_hosts",
        sa.Column("host", sa.Text(), nullable=False),
        sa.Column("next_turn_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("holder", sa.Text(), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cooldown_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("blocked_in_a_row", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("circuit_open_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("circuit_reason", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("host"),
    )
    op.create_table(
        "host_turns",
        sa.Column("host", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("worker", sa.Text(), nullable=False),
        sa.Column("lane", sa.Text(), nullable=False),
    )
    op.create_index("ix_host_turns_host_started", "host_turns", ["host", "started_at"])


def downgrade() -> None:
    op.drop_index("ix_host_turns_host_started", table_name="host_turns")
    op.drop_table("host_turns")
    op.drop_table("census_hosts")
