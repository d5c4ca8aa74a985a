"""disabled accounts: `users.disabled_at` (set by UserDisabled, cleared by UserEnabled), with a
partial index for the admin list's «Desactivadas» filter

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 16:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_users_disabled",
        "users",
        ["registered_at", "user_id"],
        postgresql_where=sa.text("disabled_at IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_users_disabled", table_name="users")
    op.drop_column("users", "disabled_at")
