"""account history: every change of an account as one row (its registration, profile edits by
the person or an ADMIN, cédula corrections, roles, disabling, password resets, hand-overs), and
`users.original_referrer_id`, who referred the person when they signed up (a hand-over changes
only `referrer_id`)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 19:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("original_referrer_id", sa.Uuid(), nullable=True))
    # No hand-over existed before this revision: the referrer now is the one at sign-up.
    op.execute("UPDATE users SET original_referrer_id = referrer_id")
    op.create_table(
        "user_history",
        sa.Column("event_id", sa.Uuid(), primary_key=True),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("actor_id", sa.Uuid()),
        sa.Column("operator", sa.String(length=200)),
        sa.Column("changed", sa.String(length=100)),
        sa.Column("cedula", sa.String(length=10)),
        sa.Column("nombre", sa.String(length=200)),
        sa.Column("telefono", sa.String(length=20)),
        sa.Column("referral_goal", sa.Integer()),
        sa.Column("role", sa.String(length=10)),
        sa.Column("previous_role", sa.String(length=10)),
        sa.Column("referrer_id", sa.Uuid()),
        sa.Column("previous_referrer_id", sa.Uuid()),
    )
    op.create_index("ix_user_history_user", "user_history", ["user_id", "occurred_at"])


def downgrade() -> None:
    op.drop_index("ix_user_history_user", table_name="user_history")
    op.drop_table("user_history")
    op.drop_column("users", "original_referrer_id")
