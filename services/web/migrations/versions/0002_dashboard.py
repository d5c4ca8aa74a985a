"""dashboard: indexes for the referidos and admin pages, server-side sessions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 16:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_users_referrer_registered", "users", ["referrer_id", "registered_at", "user_id"]
    )
    op.create_index("ix_users_registered_at", "users", ["registered_at", "user_id"])
    op.create_index("ix_census_status_status_updated", "census_status", ["status", "updated_at"])
    op.create_table(
        "web_sessions",
        sa.Column("session_id", sa.String(length=128), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("session_id"),
    )
    op.create_index(op.f("ix_web_sessions_expires_at"), "web_sessions", ["expires_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_web_sessions_expires_at"), table_name="web_sessions")
    op.drop_table("web_sessions")
    op.drop_index("ix_census_status_status_updated", table_name="census_status")
    op.drop_index("ix_users_registered_at", table_name="users")
    op.drop_index("ix_users_referrer_registered", table_name="users")
