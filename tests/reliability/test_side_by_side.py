"""Processes side by side: two registration APIs, two outbox relays, three census workers and two
web processes on one Kafka and one PostgreSQL. Sign-ups spread over both APIs; the leading relay
is killed with SIGKILL mid-run and the standby takes over; a browser on each web process follows
its referrals live; every user is projected once, with its census answer, and no key's events
came out of order."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from uuid import UUID

import pytest

from tests.reliability.side_by_side import (
    RELAYS,
    WEBS,
    SideBySide,
    side_by_side_env,
)
from tests.reliability.side_by_side_browsers import followed_live, logged_in
from tests.reliability.side_by_side_checks import outbox_delivery, projection
from tests.reliability.side_by_side_sign_ups import (
    NEW_PHONE,
    found_cedulas,
    leaders,
    plan,
    sign_up_all,
)
from tests.reliability.support import (
    ScenarioResult,
    fast_registration_env,
    query,
    size,
    wait_until,
)
from tests.support.chromium import launched_chromium
from tests.support.stack import Stack, stack_env

# Ten processes and three Chromiums start on two cores: about three minutes even with 30 sign-ups.
pytestmark = pytest.mark.chaos_only

REFERRALS_EACH = 3  # of each browser's person, among the sign-ups
FINAL = "status NOT IN ('PENDING', 'PROCESSING')"


async def test_processes_side_by_side(
    scenario: ScenarioResult,
    reliability_kafka: str,
    create_database: Callable[[str], str],
    tmp_path: Path,
) -> None:
    """Two of every process and three workers; the leading relay killed with SIGKILL mid-run"""
    count = int(size("side_by_side_sign_ups", 30, 300))
    env = stack_env(reliability_kafka, create_database) | fast_registration_env()
    deployment = SideBySide(Stack(env | side_by_side_env(), tmp_path))
    registration_db, web_db = env["REGISTRATION_DATABASE_URL"], env["WEB_DATABASE_URL"]
    cedulas = found_cedulas(count + len(WEBS) + 1, start=31_000_000)
    clock = Clock()
    await deployment.stack.start_groups_at_end()
    clock.mark("groups_at_end")
    try:
        deployment.start_all()
        clock.mark("processes_up")
        await deployment.until_groups_settled()
        clock.mark("groups_settled")
        admin_id, referrers = leaders(deployment, cedulas[: len(WEBS) + 1])
        ids = {admin_id} | {user["id"] for user in referrers}
        await wait_until(lambda: _leaders_projected(web_db, referrers), 60, "the leaders", 0.2)
        (leader,) = await wait_until(deployment.one_leading_relay, 30, "one relay leading", 0.2)
        async with launched_chromium() as browser:
            pages = [
                await logged_in(browser, deployment.url(web, ""), user["cedula"])
                for web, user in zip(WEBS, referrers, strict=True)
            ]
            await wait_until(deployment.streams_open, 30, "a live stream on each web")
            clock.mark("browsers")

            progress = threading.Event()
            sign_ups = plan(
                cedulas[len(WEBS) + 1 :], [u["referral_code"] for u in referrers], REFERRALS_EACH
            )
            signing = asyncio.create_task(
                asyncio.to_thread(sign_up_all, deployment, sign_ups, progress, count // 3)
            )
            await asyncio.to_thread(progress.wait)
            deployment.stack.services[leader].kill()
            killed_at = time.monotonic()
            (standby,) = set(RELAYS) - {leader}
            await wait_until(
                lambda: deployment.one_leading_relay(standby), 30, "the standby leading", 0.1
            )
            takeover_s = time.monotonic() - killed_at
            ids |= await signing
            clock.mark("signed_up")
            await wait_until(lambda: _outbox_drained(registration_db), 120, "outbox sent", 0.2)
            clock.mark("published")
            await wait_until(lambda: _answered(web_db, ids), 1800, "every user answered", 0.5)
            clock.mark("answered")
            for page in pages:
                await followed_live(page, REFERRALS_EACH)
    finally:
        print(f"stages: {clock}")  # shown when the test fails
        deployment.stack.stop_all()

    delivery = await outbox_delivery(reliability_kafka, registration_db)
    projected = await projection(reliability_kafka, web_db, ids, NEW_PHONE)
    assert len(ids) == count + len(WEBS) + 1  # and the administrator
    assert delivery.lost == [] and delivery.reordered == []  # nothing lost, order kept per key
    assert projected.users == len(ids) and projected.stale_profiles == 0
    assert projected.census_rows == dict.fromkeys(ids, 1) and projected.unplaced == 0
    assert set(projected.history) == projected.answers  # every answer event projected
    assert projected.counted == {str(UUID(int=0)): len(ids)} | {  # each person counted once
        user["id"]: REFERRALS_EACH for user in referrers
    }

    scenario.injected = (
        "SIGKILL of the leading outbox relay after a third of the sign-ups, with "
        f"{len(WEBS)} registration APIs, {len(RELAYS)} relays, 3 workers, {len(WEBS)} webs running"
    )
    scenario.checked = (
        "every outbox row on Kafka, each key's events in outbox order; one users row per person "
        "with the profile change that followed the sign-up; one ACTIVE census row with its mesa "
        "each; every answer event in census_history; each person counted once in «Dónde votan» "
        "(campaign and leader); a browser on each web process saw its "
        "referrals and their answers arrive without a reload"
    )
    scenario.sizes = {"sign_ups": count, "kills": 1}
    scenario.sent = len(ids)
    scenario.delivered = projected.users
    scenario.duplicated = delivery.copies
    scenario.lost = len(delivery.lost)
    scenario.notes = (
        f"{delivery.rows.total()} outbox rows ({_by_type(delivery.rows)}), {delivery.copies} "
        "published again by the standby; "
        f"standby leading {takeover_s:.1f} s after the kill; {clock}"
    )


class Clock:
    """Seconds from the start of the scenario to each of its stages, for the report."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.stages: dict[str, float] = {}

    def mark(self, stage: str) -> None:
        self.stages[stage] = time.monotonic() - self.started

    def __str__(self) -> str:
        return ", ".join(f"{stage} at {s:.0f} s" for stage, s in self.stages.items())


async def _leaders_projected(web_db: str, leaders: list[dict[str, str]]) -> bool:
    rows = await query(web_db, "SELECT user_id::text AS id FROM users WHERE role = 'LEADER'")
    return {user["id"] for user in leaders} <= {row["id"] for row in rows}


async def _outbox_drained(registration_db: str) -> bool:
    rows = await query(registration_db, "SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL")
    return bool(rows[0]["n"] == 0)


async def _answered(web_db: str, ids: set[str]) -> int:
    rows = await query(web_db, f"SELECT user_id::text AS id FROM census_status WHERE {FINAL}")
    return len(ids) if ids <= {row["id"] for row in rows} else 0


def _by_type(counts: Counter[str]) -> str:
    return ", ".join(f"{n} {event_type}" for event_type, n in counts.most_common())
