"""circuit and capacity: unclassified answers in a row per host, who reported the capacity last,
each worker's captcha usage

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-08 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "census_hosts",
        sa.Column("unclassified_in_a_row", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column("census_hosts", sa.Column("last_raw_answer", sa.Text(), nullable=True))
    op.create_table(
        "capacity_reports",
        sa.Column("report", sa.Text(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("worker", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("report"),
    )
    op.create_table(
        "captcha_usage",
        sa.Column("worker", sa.Text(), nullable=False),
        sa.Column("solves", sa.BigInteger(), nullable=False),
        sa.Column("expired", sa.BigInteger(), nullable=False),
        sa.Column("balance", sa.Float(), nullable=True),
        sa.Column("balance_checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("worker"),
    )


def downgrade() -> None:
    op.drop_table("captcha_usage")
    op.drop_table("capacity_reports")
    op.drop_column("census_hosts", "last_raw_answer")
    op.drop_column("census_hosts", "unclassified_in_a_row")
