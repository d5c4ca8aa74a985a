"""Read tables of «Novedades»: each census answer that differs from the one before it (kept by
the projector from census_history, see projection/census_changes.py), and up to when each
viewer has seen them."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, String, Table, Uuid

from services.web.adapters.tables import metadata

_SIDES = ("before", "after")
_FIELDS = (
    ("status", 20),
    ("departamento", 200),
    ("municipio", 200),
    ("puesto", 300),
    ("mesa", 20),
)
COMPARED = tuple(name for name, _ in _FIELDS)  # what makes two answers differ

# One row per answer that changed something: keyed by that answer's event, with what the census
# said before (the previous answer of the cédula) and after.
census_changes = Table(
    "census_changes",
    metadata,
    Column("event_id", Uuid, primary_key=True),
    Column("cedula", String(10), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    *(
        Column(f"{side}_{name}", String(size), nullable=side == "before" or name != "status")
        for side in _SIDES
        for name, size in _FIELDS
    ),
    Index("ix_census_changes_cedula_changed", "cedula", "changed_at"),
    Index("ix_census_changes_changed", "changed_at"),
)

# Per viewer: the newest change they marked as seen (not part of the read model: a rebuild keeps
# it, as it keeps the sessions).
census_changes_seen = Table(
    "census_changes_seen",
    metadata,
    Column("user_id", Uuid, primary_key=True),
    Column("seen_up_to", DateTime(timezone=True), nullable=False),
)
