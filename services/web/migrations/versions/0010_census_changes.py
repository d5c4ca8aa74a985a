"""census changes: each answer that differs from the cédula's previous one, and per viewer up to
when they saw them; census_history gets a unique (cedula, occurred_at, event_id) index so the
previous answer is found through an index during a rebuild too (which keeps only the unique ones)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 16:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_FIELDS = (("status", 20), ("departamento", 200), ("municipio", 200), ("puesto", 300), ("mesa", 20))


def upgrade() -> None:
    op.create_table(
        "census_changes",
        sa.Column("event_id", sa.Uuid(), primary_key=True),
        sa.Column("cedula", sa.String(length=10), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        *(
            sa.Column(
                f"{side}_{name}",
                sa.String(length=size),
                nullable=side == "before" or name != "status",
            )
            for side in ("before", "after")
            for name, size in _FIELDS
        ),
    )
    op.create_index("ix_census_changes_cedula_changed", "census_changes", ["cedula", "changed_at"])
    op.create_index("ix_census_changes_changed", "census_changes", ["changed_at"])
    op.create_table(
        "census_changes_seen",
        sa.Column("user_id", sa.Uuid(), primary_key=True),
        sa.Column("seen_up_to", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index(
        "ux_census_history_cedula_occurred",
        "census_history",
        ["cedula", "occurred_at", "event_id"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("ux_census_history_cedula_occurred", table_name="census_history")
    op.drop_table("census_changes_seen")
    op.drop_table("census_changes")
