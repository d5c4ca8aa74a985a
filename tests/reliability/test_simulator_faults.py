"""The Registraduría misbehaves at high rates (firewall page, HTTP 500, reload, upstream timeout,
a POST that never answers, refused captchas) and Chromium is killed from outside mid-run: every
request ends with the right status, within its attempts, and nothing stays PROCESSING."""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from infra.registraduria_sim import outcome_for
from infra.registraduria_sim.outcome import OutcomeKind
from schemas import topics
from services.common.failures import header
from tests.reliability.support import (
    ScenarioResult,
    cedulas,
    event_bodies,
    publish_events,
    query,
    size,
    wait_until,
)
from tests.support.events import user_registered
from tests.support.kafka import read_topic
from tests.support.stack import Stack, stack_env

MAX_ATTEMPTS = 3
# Waiting for a lookup, in one, or for a retry of a failed one.
UNSETTLED = "status IN ('PENDING', 'PROCESSING') OR next_retry_at IS NOT NULL"
FAULTS = {
    "SIM_FIREWALL_RATE": "0.1",
    "SIM_GET_ERROR_RATE": "0.1",
    "SIM_RELOAD_RATE": "0.15",
    "SIM_UPSTREAM_TIMEOUT_RATE": "0.1",
    "SIM_HANG_RATE": "0.05",
    "SIM_HANG_S": "8",
    "SIM_CAPTCHA_ERROR_RATE": "0.1",
}
ANSWER_STATUS = {
    OutcomeKind.FOUND: {"ACTIVE"},
    OutcomeKind.NOT_FOUND: {"NOT_FOUND"},
    OutcomeKind.NOVEDAD: {"CANCELLED_DECEASED", "CANCELLED_OTHER"},
}


def chromium_of(pid: int) -> list[int]:
    """Chromium processes descending from `pid` (Playwright's driver starts them in its own
    session, so the process tree is what ties them to the worker)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], list(children.get(pid, []))
    while todo:
        child = todo.pop()
        todo += children.get(child, [])
        try:
            if b"chrom" in Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")[0]:
                found.append(child)
        except (FileNotFoundError, ProcessLookupError):
            continue
    return found


async def test_simulator_faults_and_chromium_killed(
    scenario: ScenarioResult,
    reliability_kafka: str,
    create_database: Callable[[str], str],
    tmp_path: Path,
) -> None:
    """Registraduría faults at high rates; Chromium killed from outside"""
    count = int(size("fault_requests", 24, 200))
    env = stack_env(reliability_kafka, create_database) | FAULTS
    env |= {
        "WORKER_MIN_INTERVAL_S": "0",
        "WORKER_METRICS_PORT": "0",
        "WORKER_BLOCKED_COOLDOWN_S": "0.2",
        "WORKER_BLOCKED_COOLDOWN_MAX_S": "1",
        "WORKER_RETRY_DELAYS_S": "[1, 2, 3]",
        "WORKER_MAX_ATTEMPTS": str(MAX_ATTEMPTS),
        "CENSUS_PAGE_TIMEOUT_S": "4",
    }
    stack = Stack(env, tmp_path)
    await stack.start_groups_at_end()
    web_db = env["WEB_DATABASE_URL"]
    registered = [user_registered(c) for c in cedulas(count, start=10_000_000)]
    started = time.monotonic()
    try:
        stack.start("simulator", "infra", "simulator").wait_http(
            stack.url("simulator", "/censo/consultar/")
        )
        worker = stack.start("worker", "worker", "run")
        stack.start("web", "web", "serve").wait_http(stack.url("web", "/health"))
        await publish_events(reliability_kafka, registered, 0)

        # A third of the way in, kill the worker's Chromium (not the worker).
        await wait_until(lambda: _settled(web_db, count // 3), 900, "a third settled")
        assert worker.process is not None
        chromium = chromium_of(worker.process.pid)
        assert chromium, "the worker runs no Chromium"
        for pid in chromium:
            os.kill(pid, signal.SIGKILL)
        settled_at_kill = await _settled(web_db, 0)

        await wait_until(lambda: _settled(web_db, count), 1800, "every request settled")
        assert worker.process.poll() is None, worker.tail()
        relaunched = chromium_of(worker.process.pid)
    finally:
        stack.stop_all()

    ours = {str(u.event_id) for u in registered}
    results = event_bodies(await read_topic(reliability_kafka, topics.CENSUS_RESULTS.name))
    results = [b for b in results if b["data"].get("request_id") in ours]
    dlt = [
        r
        for r in await read_topic(reliability_kafka, topics.WORKER_DLT.name)
        if header(r, "failure_consumer_group") == env["WORKER_GROUP_ID"]
    ]
    status = await query(web_db, "SELECT cedula, status, attempt FROM census_status")
    stuck = await query(web_db, f"SELECT cedula, status FROM census_status WHERE {UNSETTLED}")
    assert not stuck
    assert len(status) == count
    assert max(b["data"]["attempt"] for b in results) <= MAX_ATTEMPTS
    starts = Counter(b["data"]["request_id"] for b in results if b["type"] == "ValidationStarted")
    assert max(starts.values()) <= MAX_ATTEMPTS
    assert all(int(header(r, "failure_attempt") or 0) <= MAX_ATTEMPTS for r in dlt)
    wrong = []
    for body in results:
        data = body["data"]
        if body["type"] == "CedulaValidated":
            if data["status"] not in ANSWER_STATUS[outcome_for(data["cedula"]).kind]:
                wrong.append(body)
        elif body["type"] == "ValidationFailed":
            if data["status"] not in ("BLOCKED", "ERROR", "TIMEOUT"):
                wrong.append(body)
            if not data["will_retry"] and data["attempt"] < MAX_ATTEMPTS:
                wrong.append(body)
    assert not wrong, wrong[:3]
    gave_up = {
        b["data"]["request_id"]
        for b in results
        if b["type"] == "ValidationFailed" and not b["data"]["will_retry"]
    }
    assert len(dlt) >= len(gave_up)
    failed_rows = [row for row in status if row["status"] in ("BLOCKED", "ERROR", "TIMEOUT")]
    assert len(failed_rows) == len(gave_up), (failed_rows, gave_up)
    final = Counter(row["status"] for row in status)
    failures = Counter(b["data"]["status"] for b in results if b["type"] == "ValidationFailed")
    scenario.injected = (
        "simulator faults per POST/GET: "
        + ", ".join(f"{k.removeprefix('SIM_').lower()}={v}" for k, v in FAULTS.items())
        + f"; the worker's Chromium processes ({len(chromium)}) SIGKILLed after "
        f"{settled_at_kill} requests settled"
    )
    scenario.checked = (
        "no census_status row PENDING/PROCESSING or waiting for a retry at the end; a failure "
        "status only for requests that gave up after the last attempt; every answer's status "
        "matches the simulator's census; failures only BLOCKED/ERROR/TIMEOUT; attempts ≤ "
        f"{MAX_ATTEMPTS} (events, ValidationStarted per request, DLT headers); the worker "
        "survives Chromium's death and relaunches it"
    )
    scenario.sizes = {"requests": count, "max_attempts": MAX_ATTEMPTS}
    scenario.sent = count
    scenario.delivered = len(status)
    scenario.duplicated = 0
    scenario.lost = count - len(status)
    scenario.notes = (
        f"final statuses {dict(final)}; failed attempts by status {dict(failures)}; "
        f"{len(gave_up)} requests dead-lettered after {MAX_ATTEMPTS} attempts; Chromium "
        f"processes after the kill: {len(relaunched)}; settled in "
        f"{time.monotonic() - started:.0f} s"
    )


async def _settled(web_db: str, count: int) -> int:
    rows = await query(
        web_db,
        f"SELECT count(*) AS n FROM census_status WHERE NOT ({UNSETTLED})",
    )
    return rows[0]["n"] if rows[0]["n"] >= count else 0
