"""cedula claims: someone says the cédula of an account is theirs; an ADMIN transfers the
account or rejects the claim

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cedula_claims",
        sa.Column("id", sa.Uuid, primary_key=True),
        sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("cedula", sa.String(10), nullable=False),
        sa.Column("nombre", sa.String(200), nullable=False),
        sa.Column("telefono", sa.String(20), nullable=False),
        sa.Column("mensaje", sa.Text, nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(12), nullable=False, server_default="abierto"),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.Uuid, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
        sa.CheckConstraint(
            "status IN ('abierto', 'transferido', 'rechazado')",
            name="ck_cedula_claims_status_known",
        ),
    )
    op.create_index("ix_cedula_claims_user_id", "cedula_claims", ["user_id"])


def downgrade() -> None:
    op.drop_table("cedula_claims")
