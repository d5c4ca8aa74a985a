"""The read model: flat tables kept up to date by the projector, read by the pages and the API."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Computed,
    Date,
    DateTime,
    Identity,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    text,
)

metadata = MetaData()
_FOLDED_NAME = "lower(translate(nombre, 'ÁÉÍÓÚÜÑáéíóúüñÀÈÌÒÙàèìòù', 'AEIOUUNaeiouunAEIOUaeiou'))"

users = Table(
    "users",
    metadata,
    Column("user_id", Uuid, primary_key=True),
    # A cédula, or for a deleted account "x" + its id's hex (projection/erasure.py).
    Column("cedula", String(33), nullable=False, unique=True),
    Column("nombre", String(200), nullable=False),
    # Written by PostgreSQL from `nombre` (migration 0006), for the trigram-indexed search.
    Column("nombre_folded", Text, Computed(_FOLDED_NAME, persisted=True)),
    Column("telefono", String(20), nullable=False),
    Column("referrer_id", Uuid, index=True),
    Column("referral_code", String(8), nullable=False, unique=True),
    Column("referral_goal", Integer, nullable=False),
    Column("role", String(10), nullable=False),
    Column("registered_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("disabled_at", DateTime(timezone=True)),  # set: disabled, no login (UserDisabled)
    # Who referred the person at sign-up; `referrer_id` is their leader now (after hand-overs).
    Column("original_referrer_id", Uuid),
    # Referidos pages: a leader's referrals, newest first, straight from the index.
    Index("ix_users_referrer_registered", "referrer_id", "registered_at", "user_id"),
    Index("ix_users_registered_at", "registered_at", "user_id"),
    # Admin list filtered to the disabled accounts (few), newest first.
    Index(
        "ix_users_disabled",
        "registered_at",
        "user_id",
        postgresql_where=text("disabled_at IS NOT NULL"),
    ),
)

# One row per cédula: the latest known census answer and where the validation stands.
census_status = Table(
    "census_status",
    metadata,
    Column("cedula", String(33), primary_key=True),  # 33: see users.cedula
    Column("user_id", Uuid, nullable=False, index=True),
    Column("status", String(20), nullable=False, index=True),
    Column("departamento", String(200)),
    Column("municipio", String(200)),
    Column("puesto", String(300)),
    Column("direccion", String(300)),
    Column("mesa", String(20)),
    Column("novedad", String(300)),
    Column("resolucion", String(100)),
    Column("fecha_novedad", String(50)),
    Column("fetched_at", DateTime(timezone=True)),
    Column("error_message", Text),
    Column("raw_response", Text),
    Column("attempt", Integer, nullable=False, server_default="0"),
    Column("next_retry_at", DateTime(timezone=True)),
    Column("request_id", Uuid),
    Column("source", String(20)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_census_status_status_updated", "status", "updated_at"),
)

# Every answer over time, so a change of puesto or mesa between two checks is visible.
census_history = Table(
    "census_history",
    metadata,
    Column("event_id", Uuid, primary_key=True),
    Column("cedula", String(10), nullable=False, index=True),
    Column("status", String(20), nullable=False),
    Column("departamento", String(200)),
    Column("municipio", String(200)),
    Column("puesto", String(300)),
    Column("direccion", String(300)),
    Column("mesa", String(20)),
    Column("novedad", String(300)),
    Column("error_message", Text),
    Column("attempt", Integer, nullable=False),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
)

# The census hosts' capacity as the newest report says (one row, key "capacity"): the report's
# data as its JSON text, read back with the schema's class.
census_capacity = Table(
    "census_capacity",
    metadata,
    Column("report_key", String(20), primary_key=True),
    Column("event_id", Uuid, nullable=False),
    Column("reported_at", DateTime(timezone=True), nullable=False),
    Column("report", Text, nullable=False),
)

# The projector's read position, written in the same transaction as the rows it produced.
projection_positions = Table(
    "projection_positions",
    metadata,
    Column("topic", String(200), primary_key=True),
    Column("partition", Integer, primary_key=True),
    Column("offset", BigInteger, nullable=False),
)

# Server-side sessions of the dashboard, shared by every web process.
web_sessions = Table(
    "web_sessions",
    metadata,
    Column("session_id", String(128), primary_key=True),
    Column("data", LargeBinary, nullable=False),
    Column("expires_at", DateTime(timezone=True), index=True),
    Column("user_id", Uuid, index=True),  # None: a visitor's session (a flash message, a form)
)

# Long operator operations (revalidation, rebuild, redrive) with their progress, for the
# Operación page. Not part of the read model: a rebuild leaves it where it is.
operation_runs = Table(
    "operation_runs",
    metadata,
    Column("run_id", BigInteger, Identity(), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("operator", String(200), nullable=False),
    Column("target", String(500), nullable=False),
    Column("status", String(20), nullable=False),
    Column("total", BigInteger),
    Column("done", BigInteger, nullable=False, server_default="0"),
    Column("message", Text),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    # A planned run (status planned): when it is due, and how many days before the election.
    Column("due_at", DateTime(timezone=True)),
    Column("days_before", Integer),
    Index("ix_operation_runs_kind_started", "kind", "started_at"),
)

# The election date admins set (one row, key "election"), with who set it and when.
election_calendar = Table(
    "election_calendar",
    metadata,
    Column("calendar_key", String(20), primary_key=True),
    Column("election_date", Date, nullable=False),
    Column("updated_by", String(200), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# Up to when `censo ops purge` removed raw census responses (one row, key "census_raw"). Always
# the live schema's table (schema "public"): a rebuild's replay must respect it too, and its own
# copy of the table is empty.
purge_marks = Table(
    "purge_marks",
    metadata,
    Column("mark_key", String(40), primary_key=True),
    Column("purged_before", DateTime(timezone=True), nullable=False),
    Column("purged_at", DateTime(timezone=True), nullable=False),
    Column("operator", String(200), nullable=False),
    schema="public",
)


# Claims for a taken cédula (CedulaClaimFiled, CedulaClaimResolved): the claimant's data, shown
# to ADMINs only. `user_id` is the account holding the cédula when the claim was filed.
cedula_claims = Table(
    "cedula_claims",
    metadata,
    Column("claim_id", Uuid, primary_key=True),
    Column("user_id", Uuid, nullable=False),
    Column("cedula", String(10), nullable=False),
    Column("nombre", String(200), nullable=False),
    Column("telefono", String(20), nullable=False),
    Column("mensaje", Text, nullable=False),
    Column("filed_at", DateTime(timezone=True), nullable=False),
    Column("status", String(12), nullable=False),  # abierto, transferido, rechazado
    Column("resolved_at", DateTime(timezone=True)),
    Column("resolved_by", Uuid),
    Column("reason", Text),
    # The admin list: one status (or all), newest first; the menu's count of open claims.
    Index("ix_cedula_claims_status_filed", "status", "filed_at"),
)
