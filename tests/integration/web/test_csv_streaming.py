"""The referrals CSV is read in batches, each on a connection given back to the pool at once: a
download, however slow, holds no connection or transaction while the browser reads it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from services.common.db import make_engine
from services.common.migrations import migrate
from services.web.projection.projector import Projector
from services.web.projection.rebuild import WEB_MIGRATIONS
from services.web.queries.listing import UserFilter, stream_users
from tests.integration.web.builders import referral
from tests.support.events import record


async def test_every_referral_comes_once_in_order_with_no_connection_held_between_batches(
    create_database: Callable[[str], str],
) -> None:
    engine = make_engine(create_database("web_csv"), pool_size=2)
    try:
        await migrate(engine, WEB_MIGRATIONS)
        leader, projector, start = uuid4(), Projector(engine), datetime(2026, 5, 1, tzinfo=UTC)
        same_moment = start + timedelta(hours=1)  # ties on registered_at are ordered by id
        for index in range(11):
            at = same_moment if index in (4, 5, 6) else start + timedelta(minutes=index)
            await projector.project(record(referral(leader, at=at), offset=index))
        held_between_batches = []
        seen = []
        async for row in stream_users(engine, UserFilter(referrer_id=leader), batch=3):
            seen.append((row["registered_at"], row["user_id"]))
            held_between_batches.append(engine.pool.checkedout())  # type: ignore[attr-defined]
        assert len(seen) == len(set(seen)) == 11
        assert seen == sorted(seen, reverse=True)
        assert set(held_between_batches) == {0}
    finally:
        await engine.dispose()
