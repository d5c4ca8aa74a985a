"""Indexes a rebuild builds after loading the tables rather than row by row while loading.

Only the unique indexes (primary keys, unique columns) serve the projection itself: its upserts
find rows through them. The others serve the pages; keeping them up to date through every
write of the replay cost more than building each once, sorted, at the end.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

_SECONDARY = text(
    """
    SELECT i.relname AS name, pg_get_indexdef(i.oid) AS definition
    FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = :schema AND t.relname = ANY(:tables)
      AND NOT x.indisunique AND NOT x.indisprimary
    ORDER BY i.relname
    """
)


async def drop_secondary(conn: AsyncConnection, schema: str, tables: tuple[str, ...]) -> list[str]:
    """Drop the non-unique indexes of `schema`.`tables`; the statements that recreate them."""
    rows = (await conn.execute(_SECONDARY, {"schema": schema, "tables": list(tables)})).all()
    for row in rows:
        await conn.execute(text(f'DROP INDEX "{schema}"."{row.name}"'))
    return [row.definition for row in rows]


async def build(
    conn: AsyncConnection, definitions: list[str], schema: str, tables: tuple[str, ...]
) -> None:
    """Recreate the dropped indexes, then give the planner statistics of the loaded tables."""
    for definition in definitions:
        await conn.execute(text(definition))
    for table in tables:
        await conn.execute(text(f'ANALYZE "{schema}"."{table}"'))
