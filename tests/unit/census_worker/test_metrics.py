"""The worker's Prometheus metrics: lookups by status, duration, in flight, browser restarts."""

from __future__ import annotations

from prometheus_client import generate_latest

from schemas.census import CensusStatus
from services.census_worker.adapters.metrics import MeteredSource, WorkerMetrics
from tests.support.fakes import ScriptedSource, active, failed


async def test_every_lookup_is_counted_by_status_and_timed() -> None:
    metrics = WorkerMetrics()
    source = MeteredSource(ScriptedSource([active(), failed(CensusStatus.TIMEOUT)]), metrics)

    await source.lookup("1102812122")
    await source.lookup("52123456")

    text = generate_latest(metrics.registry).decode()
    assert 'census_lookups_total{status="ACTIVE"} 1.0' in text
    assert 'census_lookups_total{status="TIMEOUT"} 1.0' in text
    assert "census_lookup_duration_seconds_count 2.0" in text
    assert "census_lookups_in_flight 0.0" in text


def test_browser_restarts_and_pool_size_are_read_at_scrape_time() -> None:
    metrics = WorkerMetrics()
    state = {"launches": 1, "tokens": 3}
    metrics.watch(lambda: state["launches"], lambda: state["tokens"])
    state["launches"] = 4

    text = generate_latest(metrics.registry).decode()
    assert "census_browser_restarts_total 3.0" in text
    assert "census_captcha_pool_tokens 3.0" in text
