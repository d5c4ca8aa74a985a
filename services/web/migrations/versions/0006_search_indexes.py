"""search indexes: the folded name by trigrams (pg_trgm) and the cédula by prefix, so a search
over a whole campaign reads the index, not every row

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 15:40:00
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Exactly what services/web/queries/search.py's `folded()` writes (an expression index serves only
# the same expression; tests/integration/web/test_search_plans.py checks the plans). The extension
# lives in `public` whatever the search path (a rebuild migrates its own schema): the operator
# class is named with it.
FOLDED_NAME = "lower(translate(nombre, 'ÁÉÍÓÚÜÑáéíóúüñÀÈÌÒÙàèìòù', 'AEIOUUNaeiouunAEIOUaeiou'))"


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
    op.execute(
        "CREATE INDEX ix_users_nombre_folded_trgm ON users "
        f"USING gin (({FOLDED_NAME}) public.gin_trgm_ops)"
    )
    op.execute("CREATE INDEX ix_users_cedula_prefix ON users (cedula varchar_pattern_ops)")


def downgrade() -> None:
    op.execute("DROP INDEX ix_users_cedula_prefix")
    op.execute("DROP INDEX ix_users_nombre_folded_trgm")
