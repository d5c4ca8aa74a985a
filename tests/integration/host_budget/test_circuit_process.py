"""A real `censo worker run` against a simulator whose answers stop parsing (a redesigned page):
after CENSUS_CIRCUIT_THRESHOLD of them the host's circuit opens, census.status says so with the
raw answer, no lookup and no captcha solve reach the simulator meanwhile, and an operator's
CensusHostResumeRequested on census.control lets the waiting lookup through."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
from aiokafka.structs import ConsumerRecord

from schemas import topics
from schemas.envelope import encode_event
from schemas.events import CensusHostResumeRequested, CensusHostResumeRequestedData
from services.census_worker.entrypoints.subscribers import INPUT_LANES
from tests.integration.host_budget.workers import cedulas, start_workers
from tests.support.events import user_registered
from tests.support.kafka import publish, until_group_settled
from tests.support.kafka_wait import watching
from tests.support.processes import ServiceProcess

# The simulator's `changed_page` cédulas: more than the threshold, so one answer of another kind
# in between (a refused captcha token resets the count) still lets the circuit open.
CHANGED_PAGES = ["99000007", "99000008", "99000009", "99000010", "99000011"]


def opened_report(records: list[ConsumerRecord]) -> dict | None:
    """The first capacity report that shows wsp's circuit opened by the simulator's redesign."""
    for record in records:
        if record.topic != topics.CENSUS_STATUS.name:
            continue
        for host in json.loads(record.value)["data"]["hosts"]:
            raw = host.get("last_raw_answer") or ""
            if host["host"] == "wsp" and host["circuit_open_since"] and "consulta-v2" in raw:
                return host
    return None


def answered(records: list[ConsumerRecord], cedula: str, event_type: str) -> bool:
    return any(
        (body := json.loads(r.value))["type"] == event_type and body["data"].get("cedula") == cedula
        for r in records
        if r.topic == topics.CENSUS_RESULTS.name
    )


async def simulator_requests(env: dict[str, str]) -> tuple[int, int]:
    """(lookup requests to wsp, captcha solves) the simulator received so far."""
    async with httpx.AsyncClient() as client:
        logged = (await client.get(f"http://127.0.0.1:{env['SIM_PORT']}/_sim/requests")).json()
    wsp = sum(1 for entry in logged if entry["variant"] == "wsp")
    solves = sum(1 for entry in logged if entry["path"] == "/in.php")
    return wsp, solves


async def settled_requests(env: dict[str, str], quiet_s: float = 1.5) -> tuple[int, int]:
    """The simulator's counts once nothing more arrived for `quiet_s`."""
    async with asyncio.timeout(30):
        counts = await simulator_requests(env)
        while True:
            await asyncio.sleep(quiet_s)
            if (latest := await simulator_requests(env)) == counts:
                return counts
            counts = latest


async def until_logged(process: ServiceProcess, text: str, timeout_s: float) -> None:
    async with asyncio.timeout(timeout_s):
        while text not in process.tail(400):
            await asyncio.sleep(0.2)
    await asyncio.sleep(1.0)  # the last rebalance settles


async def register(bootstrap: str, cedula: str) -> None:
    await publish(bootstrap, topics.ACCOUNTS.name, *encode_event(user_registered(cedula))[:2])


async def test_a_host_whose_answers_stop_parsing_pauses_until_an_operator_resumes_it(
    kafka_bootstrap: str, deployment: dict[str, str], tmp_path: Path
) -> None:
    env = deployment | {
        "CENSUS_CIRCUIT_THRESHOLD": "3",
        "WORKER_REPORT_INTERVAL_S": "0.5",
        "CENSUS_CAPTCHA_POOL_SIZE": "3",  # tokens solved ahead: they too must stop
    }
    (waiting,) = cedulas(1)
    (worker,) = start_workers(env, tmp_path, 1)
    try:
        # Every subscriber in its groups first: a rebalance while the pages are looked up would
        # deliver some again, and their answers would open the circuit once more after the resume.
        parallel = int(env.get("WORKER_PARTITIONS_IN_PARALLEL", "4"))
        group = env["WORKER_GROUP_ID"]
        await until_group_settled(kafka_bootstrap, group, len(INPUT_LANES) * parallel)
        await until_logged(worker, "census.control', partition=0", 90)
        async with watching(
            kafka_bootstrap, topics.CENSUS_RESULTS.name, topics.CENSUS_STATUS.name
        ) as watcher:
            for cedula in CHANGED_PAGES:
                await register(kafka_bootstrap, cedula)
            try:
                seen = await watcher.wait_for(lambda rs: opened_report(rs) is not None, 90)
            except TimeoutError:
                raise AssertionError(f"the circuit did not open:\n{worker.tail(200)}") from None
            host = opened_report(seen)
            assert host is not None
            assert host["unclassified_in_a_row"] >= 3
            assert "unclassifiable answers in a row" in host["circuit_reason"]

            # A lookup already under way when the circuit opened (its turn came before) finishes.
            before = await settled_requests(env)
            await register(kafka_bootstrap, waiting)
            await asyncio.sleep(4.0)  # several token-pool refills and report intervals
            paused = await simulator_requests(env)
            assert paused == before, "nothing reaches the host, no captcha is solved for it"
            assert not answered(watcher.seen, waiting, "CedulaValidated")

            resume = CensusHostResumeRequested(
                producer="tests",
                data=CensusHostResumeRequestedData(host="wsp", operator="operador de prueba"),
            )
            await publish(kafka_bootstrap, topics.CENSUS_CONTROL.name, *encode_event(resume)[:2])
            try:
                await watcher.wait_for(lambda rs: answered(rs, waiting, "CedulaValidated"), 90)
            except TimeoutError:
                raise AssertionError(f"not resumed:\n{worker.tail(200)}") from None
    finally:
        worker.stop()
    log = worker.tail(2000)
    assert "census.circuit_opened" in log and "census.circuit_resumed" in log
