"""What a database error says about the record being written: the database is away for a moment
(try the same record again, after a pause), or the record itself cannot be stored (a value the
column refuses, a constraint it breaks: retrying cannot help). And a description of the error
for logs and dead letters that names the table and column, never the values."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

# SQLSTATE classes (PostgreSQL, appendix A): 22 data exception, 23 integrity constraint violation.
RECORD_FAULT_CLASSES = ("22", "23")


def sqlstate(exc: BaseException) -> str | None:
    if isinstance(exc, DBAPIError):
        code = getattr(exc.orig, "sqlstate", None)
        return code if isinstance(code, str) else None
    return None


def is_record_fault(exc: BaseException) -> bool:
    """The record cannot be stored as it is, however often it is tried."""
    code = sqlstate(exc)
    return code is not None and code[:2] in RECORD_FAULT_CLASSES


def describe(exc: BaseException) -> str:
    """`DataError 22001 on census_status.puesto`: the kind of error and where, without the
    statement's values (which PostgreSQL copies into its messages and details)."""
    if not isinstance(exc, DBAPIError):
        return type(exc).__name__
    source = exc.orig.__cause__ if exc.orig is not None else None
    table = getattr(source, "table_name", None)
    place = getattr(source, "column_name", None) or getattr(source, "constraint_name", None)
    where = ".".join(part for part in (table, place) if part)
    kind = type(source).__name__ if source is not None else type(exc).__name__
    return f"{kind} {sqlstate(exc) or ''} on {where or 'the database'}".replace("  ", " ")
