"""Read table of an account's history (kept by the projector, see projection/account_history.py):
one row per account event, with the values it set; the admin's user page shows it as «Historial»,
old → new values taken from the row before."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, Integer, String, Table, Uuid

from services.web.adapters.tables import metadata

user_history = Table(
    "user_history",
    metadata,
    Column("event_id", Uuid, primary_key=True),
    Column("user_id", Uuid, nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("kind", String(40), nullable=False),  # the event's type
    Column("actor_id", Uuid),  # who did it (an ADMIN, the person's LEADER, the person)
    Column("operator", String(200)),  # the command line's operator, when it was one
    Column("changed", String(100)),  # an ADMIN's edit: the fields it changed, comma-separated
    # The values the event set (None: not touched by it). Personal data, as in `users`.
    Column("cedula", String(33)),  # 33: see users.cedula
    Column("nombre", String(200)),
    Column("telefono", String(20)),
    Column("referral_goal", Integer),
    Column("role", String(10)),
    Column("previous_role", String(10)),
    Column("referrer_id", Uuid),  # the leader after a sign-up or a hand-over
    Column("previous_referrer_id", Uuid),  # the leader before a hand-over
    Index("ix_user_history_user", "user_id", "occurred_at"),
)
