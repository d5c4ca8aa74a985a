"""The service's tables (SQLAlchemy Core). Migrations create them; this is what the code queries."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
    false,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

metadata = MetaData(
    naming_convention={
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    }
)

users = Table(
    "users",
    metadata,
    Column("id", Uuid, primary_key=True),
    # A cédula, or for an erased account "x" + its id's hex (never digits: no cédula matches it).
    Column("cedula", String(33), nullable=False, unique=True),
    Column("nombre", String(200), nullable=False),
    Column("telefono", String(20), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("referral_code", String(8), nullable=False, unique=True),
    Column("referral_goal", Integer, nullable=False, server_default="10"),
    Column("role", String(10), nullable=False, server_default="USER"),
    Column("referrer_id", Uuid, ForeignKey("users.id"), nullable=True, index=True),
    Column("registered_at", DateTime(timezone=True), nullable=False),
    Column("data_policy_accepted_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("disabled_at", DateTime(timezone=True), nullable=True),  # set: no login, no acting
    # An ADMIN set a temporary password: the web asks for a new one before anything else.
    Column("must_change_password", Boolean, nullable=False, server_default=false()),
    CheckConstraint("referral_goal BETWEEN 1 AND 10000", name="referral_goal_range"),
    CheckConstraint("role IN ('USER', 'LEADER', 'ADMIN')", name="role_known"),
)

# One row per event to publish; the relay sets sent_at once Kafka has acknowledged it.
outbox = Table(
    "outbox",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("event_id", Uuid, nullable=False, unique=True),
    Column("event_type", Text, nullable=False),
    Column("topic", Text, nullable=False),
    Column("key", LargeBinary, nullable=False),
    Column("value", LargeBinary, nullable=False),
    Column("headers", JSONB, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    Index("ix_outbox_unsent", "id", postgresql_where=text("sent_at IS NULL")),
)

# Hits counted by sliding-window limits (failed logins per cédula, requests per actor).
throttle_hits = Table(
    "throttle_hits",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("scope", String(40), nullable=False),
    Column("subject", String(64), nullable=False),
    Column("hit_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("weight", Integer, nullable=False, server_default="1"),  # hits this row stands for
    Index("ix_throttle_hits_lookup", "scope", "subject", "hit_at"),
)

# One-time password-reset links: only the token's SHA-256 digest is kept (the token is shown once).
password_reset_links = Table(
    "password_reset_links",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Uuid, ForeignKey("users.id"), nullable=False, index=True),
    Column("issued_by", Uuid, ForeignKey("users.id"), nullable=True),  # NULL: an operator
    Column("issued_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True), nullable=True),
    Column("revoked_at", DateTime(timezone=True), nullable=True),  # a newer link replaced it
)

# One data key per person (AES-256): their events' personal fields are sealed with it. Deleting
# the row is what erases them from Kafka and from every rebuild (crypto-shredding). No foreign key:
# the outbox seals whatever event it is given, and a key outliving nothing is harmless.
person_keys = Table(
    "person_keys",
    metadata,
    Column("user_id", Uuid, primary_key=True),
    Column("data_key", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


# Claims for a taken cédula, filed from the public form and decided by an ADMIN.
cedula_claims = Table(
    "cedula_claims",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("user_id", Uuid, ForeignKey("users.id"), nullable=False, index=True),
    Column("cedula", String(10), nullable=False),
    Column("nombre", String(200), nullable=False),
    Column("telefono", String(20), nullable=False),
    Column("mensaje", Text, nullable=False),
    Column("filed_at", DateTime(timezone=True), nullable=False),
    Column("status", String(12), nullable=False, server_default="abierto"),
    Column("resolved_at", DateTime(timezone=True), nullable=True),
    Column("resolved_by", Uuid, ForeignKey("users.id"), nullable=True),
    Column("reason", Text, nullable=True),
    CheckConstraint("status IN ('abierto', 'transferido', 'rechazado')", name="status_known"),
)
