"""The worker database's tables: each census host's shared politeness budget and circuit, used
turns, the census's latest final answer per cédula, and what the capacity report sums."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

metadata = sa.MetaData()
CHANNEL = "census_host_turns"  # NOTIFY'd when a host's turn is released or its circuit closes

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
    sa.Column("unclassified_in_a_row", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("last_raw_answer", sa.Text(), nullable=True),  # the reply that opened the circuit
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
# besides the status (voting place, novedad). `user_id`: whose lookup it answered, so deleting
# that person (UserDeleted) deletes it (None: an answer kept before it was recorded).
census_answers = sa.Table(
    "census_answers",
    metadata,
    sa.Column("cedula", sa.Text(), primary_key=True),
    sa.Column("status", sa.Text(), nullable=False),
    sa.Column("result", JSONB(), nullable=False),
    sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("host", sa.Text(), nullable=False),
    sa.Column("user_id", sa.Uuid(), nullable=True, index=True),
)

# One row per periodic report: a worker publishes only when it moves `reported_at` forward.
capacity_reports = sa.Table(
    "capacity_reports",
    metadata,
    sa.Column("report", sa.Text(), primary_key=True),
    sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("worker", sa.Text(), nullable=False),
)

# Each worker process's own captcha counters (since it started) and its latest balance check.
captcha_usage = sa.Table(
    "captcha_usage",
    metadata,
    sa.Column("worker", sa.Text(), primary_key=True),
    sa.Column("solves", sa.BigInteger(), nullable=False),
    sa.Column("expired", sa.BigInteger(), nullable=False),
    sa.Column("balance", sa.Float(), nullable=True),
    sa.Column("balance_checked_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
