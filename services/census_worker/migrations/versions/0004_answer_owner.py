"""answer owner: whose lookup each kept census answer answered, so deleting the person deletes it

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 23:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("census_answers", sa.Column("user_id", sa.Uuid(), nullable=True))
    op.create_index("ix_census_answers_user_id", "census_answers", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_census_answers_user_id", table_name="census_answers")
    op.drop_column("census_answers", "user_id")
