"""Skip what is fresh, on a real Kafka and worker database: a revalidation of a cédula answered
within CENSUS_FRESH_FOR is answered from that answer without a lookup; a refresh looks up."""

from __future__ import annotations

from datetime import timedelta

from schemas import topics
from schemas.envelope import Event, encode_event
from schemas.events import ValidationReason, ValidationRequested, ValidationRequestedData
from tests.support.events import user_registered
from tests.support.fakes import ScriptedSource
from tests.support.kafka import publish
from tests.support.kafka_wait import TopicWatcher, watching

CEDULA = "30111999"


def request(registered: Event, reason: ValidationReason) -> ValidationRequested:
    data = ValidationRequestedData(
        user_id=registered.data.user_id,  # type: ignore[attr-defined]  # a UserRegistered
        cedula=CEDULA,
        reason=reason,
    )
    return ValidationRequested(producer="tests", data=data)


async def answer_to(bootstrap: str, watcher: TopicWatcher, event: Event) -> dict:
    await publish(bootstrap, event.destination, *encode_event(event)[:2])
    await watcher.wait_for(lambda _: bool(answers_to(watcher, event)))
    return answers_to(watcher, event)[0]


def answers_to(watcher: TopicWatcher, event: Event) -> list[dict]:
    return [
        b
        for b in watcher.bodies(CEDULA)
        if b["type"] == "CedulaValidated" and b["data"]["request_id"] == str(event.event_id)
    ]


async def test_a_fresh_answer_stands_in_for_a_revalidation_but_not_for_a_refresh(
    kafka_bootstrap: str, start_worker
) -> None:
    source = ScriptedSource(cedula=CEDULA)
    registered = user_registered(cedula=CEDULA)
    revalidation = request(registered, ValidationReason.REVALIDATION)
    refresh = request(registered, ValidationReason.REFRESH)
    async with watching(kafka_bootstrap, topics.CENSUS_RESULTS.name) as watcher:
        await start_worker(source, fresh_for=timedelta(hours=24))
        looked_up = await answer_to(kafka_bootstrap, watcher, registered)
        from_store = await answer_to(kafka_bootstrap, watcher, revalidation)
        await answer_to(kafka_bootstrap, watcher, refresh)

    assert source.calls.count(CEDULA) == 2  # the sign-up and the refresh
    assert from_store["data"]["fetched_at"] == looked_up["data"]["fetched_at"]
    assert from_store["data"]["source"] == looked_up["data"]["source"]
    started = [
        b["data"]["request_id"] for b in watcher.bodies(CEDULA) if b["type"] == "ValidationStarted"
    ]
    assert str(revalidation.event_id) not in started  # nothing was started for it
