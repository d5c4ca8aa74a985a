"""read model: users, census status and history, positions

Revision ID: 0001
Revises:
Create Date: 2026-11-28 15:19:28.967498
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "census_history",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("cedula", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("departamento", sa.String(length=200), nullable=True),
        sa.Column("municipio", sa.String(length=200), nullable=True),
        sa.Column("puesto", sa.String(length=300), nullable=True),
        sa.Column("direccion", sa.String(length=300), nullable=True),
        sa.Column("mesa", sa.String(length=20), nullable=True),
        sa.Column("novedad", sa.String(length=300), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_index(op.f("ix_census_history_cedula"), "census_history", ["cedula"], unique=False)
    op.create_table(
        "census_status",
        sa.Column("cedula", sa.String(length=10), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("departamento", sa.String(length=200), nullable=True),
        sa.Column("municipio", sa.String(length=200), nullable=True),
        sa.Column("puesto", sa.String(length=300), nullable=True),
        sa.Column("direccion", sa.String(length=300), nullable=True),
        sa.Column("mesa", sa.String(length=20), nullable=True),
        sa.Column("novedad", sa.String(length=300), nullable=True),
        sa.Column("resolucion", sa.String(length=100), nullable=True),
        sa.Column("fecha_novedad", sa.String(length=50), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("raw_response", sa.Text(), nullable=True),
        sa.Column("attempt", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_retry_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("request_id", sa.Uuid(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("cedula"),
    )
    op.create_index(op.f("ix_census_status_status"), "census_status", ["status"], unique=False)
    op.create_index(op.f("ix_census_status_user_id"), "census_status", ["user_id"], unique=False)
    op.create_table(
        "projection_positions",
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("partition", sa.Integer(), nullable=False),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("topic", "partition"),
    )
    op.create_table(
        "users",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("cedula", sa.String(length=10), nullable=False),
        sa.Column("nombre", sa.String(length=200), nullable=False),
        sa.Column("telefono", sa.String(length=20), nullable=False),
        sa.Column("referrer_id", sa.Uuid(), nullable=True),
        sa.Column("referral_code", sa.String(length=8), nullable=False),
        sa.Column("referral_goal", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
        sa.UniqueConstraint("cedula"),
        sa.UniqueConstraint("referral_code"),
    )
    op.create_index(op.f("ix_users_referrer_id"), "users", ["referrer_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_users_referrer_id"), table_name="users")
    op.drop_table("users")
    op.drop_table("projection_positions")
    op.drop_index(op.f("ix_census_status_user_id"), table_name="census_status")
    op.drop_index(op.f("ix_census_status_status"), table_name="census_status")
    op.drop_table("census_status")
    op.drop_index(op.f("ix_census_history_cedula"), table_name="census_history")
    op.drop_table("census_history")
