"""session owners: each server-side session names its user, so every session of one user can be
ended at once (a password change, an account disabled)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("web_sessions", sa.Column("user_id", sa.Uuid(), nullable=True))
    op.create_index("ix_web_sessions_user_id", "web_sessions", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_web_sessions_user_id", table_name="web_sessions")
    op.drop_column("web_sessions", "user_id")
