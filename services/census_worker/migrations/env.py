"""Alembic environment of the worker database: runs on the connection the worker hands over."""

from alembic import context

from services.census_worker.adapters.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through services.common.migrations.migrate")
context.configure(connection=connection, target_metadata=metadata, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
