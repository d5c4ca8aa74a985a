"""search indexes: the name folded once when written (a stored generated column) and indexed by
trigrams (pg_trgm), the cédula by prefix, so a search over a whole campaign reads an index, and
even a scan no longer folds every name on every search

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 15:40:00
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Lower case without the accents Colombian names carry, as services/web/queries/search.py's
# `fold()` treats the search term. The extension lives in `public` whatever the search path (a
# rebuild migrates its own schema): the operator class is named with it.
FOLDED_NAME = "lower(translate(nombre, 'ÁÉÍÓÚÜÑáéíóúüñÀÈÌÒÙàèìòù', 'AEIOUUNaeiouunAEIOUaeiou'))"


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
    op.execute(
        "ALTER TABLE users ADD COLUMN nombre_folded text "
        f"GENERATED ALWAYS AS ({FOLDED_NAME}) STORED"
    )
    op.execute(
        "CREATE INDEX ix_users_nombre_folded_trgm ON users "
        "USING gin (nombre_folded public.gin_trgm_ops)"
    )
    op.execute("CREATE INDEX ix_users_cedula_prefix ON users (cedula varchar_pattern_ops)")


def downgrade() -> None:
    op.execute("DROP INDEX ix_users_cedula_prefix")
    op.execute("DROP INDEX ix_users_nombre_folded_trgm")
    op.execute("ALTER TABLE users DROP COLUMN nombre_folded")
