"""The bodies of `censo ops status` (the census lookups waiting per lane, each host's budget and
circuit, the backlog's ETA, the captcha account: the newest report on census.status and the
worker group's lag) and `censo ops hosts resume` (audited)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from schemas.events import CensusCapacityReportedData, CensusHostState
from services.common.cli_errors import UsageError
from services.common.settings import KafkaSettings
from services.kafka_admin import census_capacity as cap
from services.kafka_admin.census_hosts import known_hosts, latest_report, request_resume
from services.kafka_admin.clients import kafka_clients
from services.kafka_admin.groups import GroupLag, all_groups, group_lags
from services.operations import capacity_render, connections, render


async def show_status(settings: KafkaSettings, worker_group: str, as_json: bool) -> None:
    async with kafka_clients(settings) as clients:
        wanted = {lane.group for lane in cap.lanes(worker_group)}
        groups = [group for group in await all_groups(clients[0]) if group in wanted]
        lags = [lag for group in groups for lag in await group_lags(*clients, group)]
        report = await latest_report(clients)
    data = report.data if report else None
    status = status_of(data, lags, worker_group, datetime.now(UTC))
    if as_json:
        render.json_line(status)
    else:
        capacity_render.status(status)


def status_of(
    report: CensusCapacityReportedData | None,
    lags: list[GroupLag],
    worker_group: str,
    now: datetime,
) -> dict[str, Any]:
    """What `status` prints, as data (the JSON form); times in ISO 8601."""
    backlogs = cap.lane_backlogs(worker_group, lags)
    waiting = cap.waiting_total(backlogs)
    eta = cap.backlog_eta(report, waiting, now)
    return {
        "reported_at": report.reported_at.isoformat() if report else None,
        "stale": report is None or cap.is_stale(report, now),
        "interval_s": report.interval_s if report else None,
        "lanes": [
            {
                "lane": b.lane.name,
                "group": b.lane.group,
                "topics": b.lane.topics,
                "waiting": b.waiting,
            }
            for b in backlogs
        ],
        "waiting": waiting,
        "eta_s": None if isinstance(eta, cap.NoEstimate) else round(eta),
        "no_eta": eta.value if isinstance(eta, cap.NoEstimate) else None,
        "hosts": [_host(host, report, now) for host in report.hosts] if report else [],
        "captcha": (
            {**report.captcha.model_dump(mode="json"), "low": report.captcha.low}
            if report and report.captcha
            else None
        ),
    }


def _host(
    host: CensusHostState, report: CensusCapacityReportedData, now: datetime
) -> dict[str, Any]:
    used = cap.budget_used(host, report.interval_s)
    return {
        **host.model_dump(mode="json"),
        "budget_used": round(used, 3) if used is not None else None,
        "cooling_down": cap.cooling_down(host, now),
        "circuit_open": cap.circuit_open(host),
    }


async def resume_host(settings: KafkaSettings, host: str) -> None:
    async with kafka_clients(settings) as clients:
        report = await latest_report(clients)
    known = known_hosts(report.data if report else None)
    if host not in known:
        raise UsageError(f"no census host {host!r}: known hosts are {', '.join(known)}")
    async with connections.producer(settings) as producer:
        await request_resume(producer, host)
    state = next((h for h in report.data.hosts if h.host == host), None) if report else None
    note = "" if state is None or cap.circuit_open(state) else " (its circuit was not open)"
    render.console.print(f"asked the census workers to resume {host}{note}; recorded on ops.audit")
