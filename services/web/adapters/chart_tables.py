"""Read tables of the charts on Inicio, Admin and Operación, kept by the projector
(projection/charts.py) but `flow_samples`, written each minute by the web's flow sampler."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Date, DateTime, Integer, String, Table, Uuid

from services.web.adapters.tables import metadata

# Where each registered person is counted now: their leader (the referrer; None when nobody
# referred them), the day they signed up (in Colombia) and their census status.
chart_members = Table(
    "chart_members",
    metadata,
    Column("cedula", String(33), primary_key=True),  # 33: see users.cedula
    Column("leader_id", Uuid),
    Column("day", Date, nullable=False),
    Column("status", String(20), nullable=False),
)

# Sign-ups per day, per scope: a leader's id (their direct referrals) or EVERYONE.
daily_signups = Table(
    "daily_signups",
    metadata,
    Column("scope_id", Uuid, primary_key=True),
    Column("day", Date, primary_key=True),
    Column("people", Integer, nullable=False),
)

# People per census status, per scope as above. A row with no one left is deleted.
status_counts = Table(
    "status_counts",
    metadata,
    Column("scope_id", Uuid, primary_key=True),
    Column("status", String(20), primary_key=True),
    Column("people", Integer, nullable=False),
)

# Census lookups that ended (an answer or a failure) per minute, host and status.
lookup_minutes = Table(
    "lookup_minutes",
    metadata,
    Column("minute", DateTime(timezone=True), primary_key=True),
    Column("host", String(50), primary_key=True),
    Column("status", String(20), primary_key=True),
    Column("lookups", Integer, nullable=False),
)

# One value per minute and series: a consumer group's lag, the lookups waiting in a lane.
flow_samples = Table(
    "flow_samples",
    metadata,
    Column("minute", DateTime(timezone=True), primary_key=True),
    Column("series", String(100), primary_key=True),
    Column("value", BigInteger, nullable=False),
)
