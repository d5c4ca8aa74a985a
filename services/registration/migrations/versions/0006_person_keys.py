"""person keys: one data key per person, which seals their personal fields in events (deleting it
erases them everywhere); `users.cedula` widened for the mark an erased account keeps

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person_keys",
        sa.Column("user_id", sa.Uuid, primary_key=True),  # no foreign key: see orm.py
        sa.Column("data_key", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.alter_column("users", "cedula", type_=sa.String(33), existing_nullable=False)


def downgrade() -> None:
    op.alter_column("users", "cedula", type_=sa.String(10), existing_nullable=False)
    op.drop_table("person_keys")
