"""Read-your-writes after a command: the registration API has accepted a change, the projector
will show it within moments; the page that follows waits for it (briefly) instead of showing the
old values."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncEngine

from services.web.queries.accounts import account_row


async def until_projected(
    engine: AsyncEngine, within_s: float, user_id: UUID, done: Callable[[Any], bool]
) -> None:
    """Until `done(row)` holds for the user's read row (or it is not projected yet, or `within_s`
    runs out: then the page shows what there is, and live updates bring the rest)."""
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        async with engine.connect() as conn:
            row = await account_row(conn, user_id)
        if row is None or done(row):
            return
        await asyncio.sleep(0.1)
