"""voting places: who is counted at which mesa, and the counts per leader and place

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 15:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_PLACE = (
    ("departamento", 200),
    ("municipio", 200),
    ("puesto", 300),
)


def _place_columns(primary_key: bool) -> list[sa.Column[str]]:
    return [
        sa.Column(name, sa.String(length=size), nullable=False, primary_key=primary_key)
        for name, size in _PLACE
    ]


def upgrade() -> None:
    op.create_table(
        "voting_place_members",
        sa.Column("cedula", sa.String(length=10), primary_key=True),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("leader_id", sa.Uuid(), nullable=True),
        *_place_columns(primary_key=False),
        sa.Column("direccion", sa.String(length=300), nullable=False),
        sa.Column("mesa", sa.String(length=20), nullable=False),
    )
    op.create_index(
        "ix_voting_place_members_leader",
        "voting_place_members",
        ["leader_id", "departamento", "municipio", "puesto"],
    )
    op.create_index(
        "ix_voting_place_members_place",
        "voting_place_members",
        ["departamento", "municipio", "puesto"],
    )
    op.create_table(
        "voting_place_counts",
        sa.Column("scope_id", sa.Uuid(), primary_key=True),
        *_place_columns(primary_key=True),
        sa.Column("mesa", sa.String(length=20), primary_key=True),
        sa.Column("direccion", sa.String(length=300), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("voting_place_counts")
    op.drop_table("voting_place_members")
