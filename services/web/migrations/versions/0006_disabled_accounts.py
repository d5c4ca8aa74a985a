"""disabled accounts: `users.disabled_at` (set by UserDisabled, cleared by UserEnabled), with a
partial index for the admin list's «Desactivadas» filter

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 16:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
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
