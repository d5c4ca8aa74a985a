"""cedula claims: the claims for a taken cédula (CedulaClaimFiled, CedulaClaimResolved), for the
admins' «Reclamos» page

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 19:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cedula_claims",
        sa.Column("claim_id", sa.Uuid(), primary_key=True),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("cedula", sa.String(length=10), nullable=False),
        sa.Column("nombre", sa.String(length=200), nullable=False),
        sa.Column("telefono", sa.String(length=20), nullable=False),
        sa.Column("mensaje", sa.Text(), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
    )
    op.create_index("ix_cedula_claims_status_filed", "cedula_claims", ["status", "filed_at"])


def downgrade() -> None:
    op.drop_table("cedula_claims")
