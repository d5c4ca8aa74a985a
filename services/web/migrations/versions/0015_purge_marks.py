"""purge marks: up to when `censo ops purge` removed what is kept only until the election (raw
census responses); the projector and every rebuild leave out what such an event carried

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "purge_marks",
        sa.Column("mark_key", sa.String(40), primary_key=True),
        sa.Column("purged_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("operator", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("purge_marks")
