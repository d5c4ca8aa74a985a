"""Accounts, the transactional outbox, and the hits of sliding-window limits.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("cedula", sa.String(10), nullable=False),
        sa.Column("nombre", sa.String(200), nullable=False),
        sa.Column("telefono", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("referral_code", sa.String(8), nullable=False),
        sa.Column("referral_goal", sa.Integer, nullable=False, server_default="10"),
        sa.Column("role", sa.String(10), nullable=False, server_default="USER"),
        sa.Column("referrer_id", sa.Uuid, sa.ForeignKey("users.id", name="fk_users_referrer_id")),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data_policy_accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.UniqueConstraint("cedula", name="uq_users_cedula"),
        sa.UniqueConstraint("referral_code", name="uq_users_referral_code"),
        sa.CheckConstraint(
            "referral_goal BETWEEN 1 AND 10000", name="ck_users_referral_goal_range"
        ),
        sa.CheckConstraint("role IN ('USER', 'LEADER', 'ADMIN')", name="ck_users_role_known"),
    )
    op.create_index("ix_users_referrer_id", "users", ["referrer_id"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("event_id", sa.Uuid, nullable=False),
        sa.Column("event_type", sa.Text, nullable=False),
        sa.Column("topic", sa.Text, nullable=False),
        sa.Column("key", sa.LargeBinary, nullable=False),
        sa.Column("value", sa.LargeBinary, nullable=False),
        sa.Column("headers", JSONB, nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("event_id", name="uq_outbox_event_id"),
    )
    op.create_index(
        "ix_outbox_unsent", "outbox", ["id"], postgresql_where=sa.text("sent_at IS NULL")
    )
    op.create_table(
        "throttle_hits",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("scope", sa.String(40), nullable=False),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column(
            "hit_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
    )
    op.create_index("ix_throttle_hits_lookup", "throttle_hits", ["scope", "subject", "hit_at"])


def downgrade() -> None:
    op.drop_table("throttle_hits")
    op.drop_table("outbox")
    op.drop_table("users")
