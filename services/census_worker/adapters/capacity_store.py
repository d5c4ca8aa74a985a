"""What the capacity report reads and writes in the worker database: the hosts' budget and
circuits with their recent turns, each worker's captcha usage, and who reported last."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas.events import CensusHostState
from services.census_worker.service_layer.capacity_report import CaptchaUsage

REPORT = "census.status"
_HOSTS = text("""
SELECT h.host, greatest(h.next_turn_at, coalesce(h.cooldown_until, '-infinity')) AS next_turn_at,
       coalesce(h.holder IS NOT NULL AND h.lease_until >= clock_timestamp(), false) AS held,
       CASE WHEN h.cooldown_until > clock_timestamp() THEN h.cooldown_until END AS cooldown_until,
       h.blocked_in_a_row, h.circuit_open_since, h.circuit_reason, h.last_raw_answer,
       h.unclassified_in_a_row,
       (SELECT count(*) FROM host_turns AS t WHERE t.host = h.host
          AND t.started_at > clock_timestamp() - interval '60 seconds') AS turns_last_minute,
       (SELECT count(*) FROM host_turns AS t WHERE t.host = h.host
          AND t.started_at > clock_timestamp() - interval '1 hour') AS turns_last_hour
FROM census_hosts AS h ORDER BY h.host LIMIT 20
""")
# Only the worker that moves `reported_at` forward publishes: one report per interval in all.
_CLAIM = text("""
INSERT INTO capacity_reports (report, reported_at, worker)
VALUES (:report, clock_timestamp(), :me)
ON CONFLICT (report) DO UPDATE SET reported_at = excluded.reported_at, worker = excluded.worker
WHERE capacity_reports.reported_at <= clock_timestamp() - make_interval(secs => :gap)
RETURNING worker
""")
_USAGE = text("""
INSERT INTO captcha_usage (worker, solves, expired, balance, balance_checked_at, updated_at)
VALUES (:me, :solves, :expired, :balance, :balance_checked_at, clock_timestamp())
ON CONFLICT (worker) DO UPDATE SET solves = excluded.solves, expired = excluded.expired,
    balance = excluded.balance, balance_checked_at = excluded.balance_checked_at,
    updated_at = excluded.updated_at
""")
_TOTALS = text("""
SELECT coalesce(sum(solves), 0)::bigint AS solves, coalesce(sum(expired), 0)::bigint AS expired,
       (SELECT balance FROM captcha_usage WHERE balance_checked_at IS NOT NULL
        ORDER BY balance_checked_at DESC LIMIT 1) AS balance,
       max(balance_checked_at) AS balance_checked_at
FROM captcha_usage
""")


class PostgresCapacity:
    """The `CapacityStore` on the worker database; `worker` names this process's rows."""

    def __init__(self, engine: AsyncEngine, worker: str) -> None:
        self.engine, self.worker = engine, worker

    async def hosts(self) -> list[CensusHostState]:
        async with self.engine.connect() as conn:
            rows = (await conn.execute(_HOSTS)).mappings().all()
        return [CensusHostState.model_validate(dict(row)) for row in rows]

    async def claim_report(self, interval_s: float) -> bool:
        # A little slack: this worker's own next tick, a few ms early, still reports.
        params = {"report": REPORT, "me": self.worker, "gap": interval_s * 0.9}
        async with self.engine.begin() as conn:
            return (await conn.execute(_CLAIM, params)).first() is not None

    async def record_captcha(self, usage: CaptchaUsage) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(_USAGE, {"me": self.worker, **usage.as_row()})

    async def captcha_totals(self) -> CaptchaUsage:
        async with self.engine.connect() as conn:
            row = (await conn.execute(_TOTALS)).mappings().one()
        return CaptchaUsage(**row)
