"""The kinds of row write the projection makes, each rendered as one set-based statement.

A `Write` names a table, the columns it gives and what happens when the row exists. Any number of
rows of one kind go to PostgreSQL as one statement over `json_to_recordset` of one JSON document:
one round trip and one plan instead of one per row. Such a statement must not touch a row twice
(`ON CONFLICT DO UPDATE` refuses it, an `UPDATE … FROM` would pick one source row at random);
the batch applier guarantees it by never putting two writes of the same row in one statement.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any

from pydantic_core import to_json
from sqlalchemy import (
    JSON,
    ColumnElement,
    Executable,
    String,
    Table,
    bindparam,
    cast,
    column,
    func,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.types import TypeEngine

RowKey = tuple[str, Hashable]  # ("users", user_id), ("census_status", cedula), …
Guard = Callable[[Table, Any], ColumnElement[bool]]  # (table, excluded) -> the upsert's WHERE


class OnExisting(Enum):
    KEEP = "insert; an existing row (any unique column) is kept as it is"
    UPSERT = "insert, or update the existing row's `updates` columns when `guard` holds"
    UPDATE = "update the existing row matched on `match`; no row, no change"


@dataclass(frozen=True, eq=False)
class Write:
    """One kind of write. Instances are module constants: identity is the statement's identity."""

    name: str
    table: Table
    columns: tuple[str, ...]
    on_existing: OnExisting
    conflict: tuple[str, ...] = ()  # UPSERT: the unique columns
    updates: tuple[str, ...] = ()  # UPSERT: columns set on the existing row
    guard: Guard | None = None  # UPSERT: only when this holds
    match: str = ""  # UPDATE: the column naming the row

    def __repr__(self) -> str:
        return f"Write({self.name})"


@dataclass(frozen=True)
class Op:
    """One row write an event asks for, with every row key it may touch (its table's unique
    columns), so that writes of the same row keep their order."""

    write: Write
    row: Mapping[str, Any]
    keys: tuple[RowKey, ...]


def statement(write: Write, rows: Sequence[Mapping[str, Any]]) -> tuple[Executable, dict[str, str]]:
    """The statement applying `rows` (no two on the same row) and its parameter: the rows as one
    JSON document, encoded in one call (in Rust) where arrays cost asyncpg a check and a codec
    call per value, four times the CPU."""
    return _compiled(write), {"rows": to_json(rows).decode()}


@cache
def _compiled(write: Write) -> Executable:
    table = write.table
    columns = [column(c, _unbounded(table.c[c].type)) for c in write.columns]
    document = cast(bindparam("rows", type_=String()), JSON)
    source = func.json_to_recordset(document).table_valued(*columns).render_derived(with_types=True)
    if write.on_existing is OnExisting.UPDATE:
        values = {c: source.c[c] for c in write.columns if c != write.match}
        return update(table).values(values).where(table.c[write.match] == source.c[write.match])
    rows = select(*(source.c[c] for c in write.columns))
    stmt = insert(table).from_select(list(write.columns), rows)
    if write.on_existing is OnExisting.KEEP:
        return stmt.on_conflict_do_nothing()
    return stmt.on_conflict_do_update(
        index_elements=[table.c[c] for c in write.conflict],
        set_={c: stmt.excluded[c] for c in write.updates},
        where=write.guard(table, stmt.excluded) if write.guard else None,
    )


def _unbounded(column_type: TypeEngine[Any]) -> TypeEngine[Any]:
    """Plain text in the record: a VARCHAR(n) there would cut a value that is too long, where
    writing it into the VARCHAR(n) column refuses it, as one row at a time always did."""
    return String() if isinstance(column_type, String) else column_type
