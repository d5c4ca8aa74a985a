"""Alembic migrations of the registration database, run by `services.common.migrations.migrate`
(at start-up when settings allow it, and by `censo registration migrate`)."""

from __future__ import annotations

from pathlib import Path

MIGRATIONS = Path(__file__).parent
