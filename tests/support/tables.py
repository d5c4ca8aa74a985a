"""Comparing snapshots of tables: on a mismatch, only the rows that differ, table by table."""

from __future__ import annotations

Snapshot = dict[str, set[tuple]]


def row_differences(expected: Snapshot, got: Snapshot) -> dict[str, dict[str, list[tuple]]]:
    """For each table whose rows differ: the rows only expected and the rows only got (sorted by
    their text, the first 5 of each), so a failure names the rows, not the whole tables."""
    differences = {}
    for table in sorted(expected.keys() | got.keys()):
        missing = expected.get(table, set()) - got.get(table, set())
        extra = got.get(table, set()) - expected.get(table, set())
        if missing or extra:
            differences[table] = {
                "only_expected": sorted(missing, key=str)[:5],
                "only_got": sorted(extra, key=str)[:5],
            }
    return differences
