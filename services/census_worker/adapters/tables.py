"""The worker database's tables: each census host's shared politeness budget, used turns, and
the census's latest final answer per cédula."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

metadata = sa.MetaData()

census_hosts = sa.Table(
    "census_hosts",
    metadata,
    sa.Column("host", sa.Text(), primary_key=True),  # the source variant: "wsp", "consultacenso"
    sa.Column("next_turn_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("holder", sa.Text(), nullable=True),
    sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
    sa.Column("cooldown_until", sa.DateTime(timezone=True), nullable=True),
    sa.Column("blocked_in_a_row", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("circuit_open_since", sa.DateTime(timezone=True), nullable=True),
    sa.Column("circuit_reason", sa.Text(), nullable=True),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

host_turns = sa.Table(
    "host_turns",
    metadata,
    sa.Column("host", sa.Text(), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("worker", sa.Text(), nullable=False),
    sa.Column("lane", sa.Text(), nullable=False),
    sa.Index("ix_host_turns_host_started", "host", "started_at"),
)

# One row per cédula, the newest final answer wins; `result` holds what a CedulaValidated carries
# besides the status (voting place, novedad).
census_answers = sa.Table(
    "census_answers",
    metadata,
    sa.Column("cedula", sa.Text(), primary_key=True),
    sa.Column("status", sa.Text(), nullable=False),
    sa.Column("result", JSONB(), nullable=False),
    sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("host", sa.Text(), nullable=False),
)

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
