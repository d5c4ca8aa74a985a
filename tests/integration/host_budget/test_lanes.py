"""Lanes with a real worker process: while a backlog of bulk requests waits on
census.requests.bulk, a new sign-up is answered within about two of the host's turns plus its
own lookup, and the bulk work goes on flowing after it."""

from __future__ import annotations

import json
from pathlib import Path

from aiokafka.structs import ConsumerRecord

from schemas import topics
from schemas.envelope import encode_event
from schemas.events import ValidationReason, ValidationRequested, ValidationRequestedData
from tests.integration.host_budget.workers import INTERVAL_S, cedulas, start_workers
from tests.support.events import user_registered
from tests.support.kafka import publish
from tests.support.kafka_wait import watching

BACKLOG = 30
# One lookup in Chromium against the simulator (100 ms per page, captcha polled every 0.1 s),
# from the turn to the answer on Kafka; measured at well under 2 s on a loaded machine.
LOOKUP_S = 3.0


def bulk_refresh(cedula: str) -> ValidationRequested:
    registered = user_registered(cedula)
    data = ValidationRequestedData(
        user_id=registered.data.user_id, cedula=cedula, reason=ValidationReason.BULK_REFRESH
    )
    return ValidationRequested(producer="tests", data=data)


def answers(seen: list[ConsumerRecord], wanted: set[str]) -> list[ConsumerRecord]:
    """The CedulaValidated records about `wanted` cédulas, in the order they arrived."""
    found = []
    for record in seen:
        if record.topic != topics.CENSUS_RESULTS.name or record.key.decode() not in wanted:
            continue
        if json.loads(record.value)["type"] == "CedulaValidated":
            found.append(record)
    return found


async def test_a_sign_up_overtakes_a_bulk_backlog_which_then_keeps_flowing(
    kafka_bootstrap: str, deployment: dict[str, str], tmp_path: Path
) -> None:
    backlog = set(cedulas(BACKLOG))
    newcomer = user_registered(cedulas(1)[0])
    watched = (topics.ACCOUNTS.name, topics.CENSUS_RESULTS.name)
    [worker] = start_workers(deployment, tmp_path, 1)
    try:
        async with watching(kafka_bootstrap, *watched) as watcher:
            for cedula in backlog:
                request = bulk_refresh(cedula)
                assert request.destination == topics.BULK_VALIDATION_REQUESTS.name
                await publish(kafka_bootstrap, request.destination, *encode_event(request)[:2])
            await watcher.wait_for(lambda seen: len(answers(seen, backlog)) >= 3, 120)
            await publish(kafka_bootstrap, topics.ACCOUNTS.name, *encode_event(newcomer)[:2])
            own = {newcomer.data.cedula}
            await watcher.wait_for(lambda seen: bool(answers(seen, own)), 60)
            answered = answers(watcher.seen, own)[0]
            await watcher.wait_for(
                lambda seen: (
                    sum(r.timestamp > answered.timestamp for r in answers(seen, backlog)) >= 2
                ),
                60,
            )
    finally:
        worker.kill()

    published = next(r for r in watcher.seen if r.key == newcomer.key)
    waited_s = (answered.timestamp - published.timestamp) / 1000
    assert waited_s <= 3 * INTERVAL_S + LOOKUP_S, f"the sign-up waited {waited_s:.1f} s"
    assert len(answers(watcher.seen, backlog)) < BACKLOG  # it did not wait for the backlog
