"""Alembic environment of the registration database: migrates the connection handed over by
`services.common.migrations.migrate` (there is no alembic.ini and no URL to connect to)."""

from __future__ import annotations

from alembic import context

from services.registration.adapters.orm import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through services.common.migrations.migrate")
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
