"""reset links made on an operator's command line (`censo admin reset-link`): their
`password_reset_links.issued_by` is NULL (the event names the operator)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.alter_column("password_reset_links", "issued_by", nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM password_reset_links WHERE issued_by IS NULL")
    op.alter_column("password_reset_links", "issued_by", nullable=False)
