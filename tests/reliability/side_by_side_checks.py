"""What the side-by-side scenario checks once the run is over: every outbox row on Kafka in order
per key (however many relays published it), and every user projected once into the web's tables."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from aiokafka.structs import ConsumerRecord

from schemas import topics
from tests.reliability.support import event_bodies, query
from tests.support.kafka import read_topic

ANSWERS = ("CedulaValidated", "ValidationFailed")


@dataclass(frozen=True)
class Delivery:
    """The outbox against Kafka: rows lost, keys whose events came out of order, copies sent
    again (a relay that died between Kafka's acknowledgement and marking its rows sent)."""

    rows: Counter[str]  # by event type
    lost: list[str]
    reordered: list[str]
    copies: int


async def outbox_delivery(bootstrap: str, registration_db: str) -> Delivery:
    """Each key's events, as first seen on its topic, must follow the outbox's order (its ids)."""
    rows = await query(
        registration_db,
        "SELECT id, event_id::text AS event_id, event_type, topic, key FROM outbox ORDER BY id",
    )
    expected: dict[tuple[str, bytes], list[str]] = defaultdict(list)
    for row in rows:
        expected[(row["topic"], bytes(row["key"]))].append(row["event_id"])
    wanted = {row["event_id"] for row in rows}
    seen: dict[tuple[str, bytes], list[str]] = defaultdict(list)
    copies = 0
    for topic in sorted({row["topic"] for row in rows}):
        records = sorted(await read_topic(bootstrap, topic), key=_position)
        ids = Counter[str]()
        for record in records:
            event_id = _event_id(record)
            if event_id in wanted:
                ids[event_id] += 1
                if ids[event_id] == 1:
                    seen[(topic, record.key or b"")].append(event_id)
        copies += sum(ids.values()) - len(ids)
    found = {event_id for ids in seen.values() for event_id in ids}
    reordered = [
        key.decode() for (topic, key), ids in expected.items() if seen[(topic, key)] != ids
    ]
    types = Counter(row["event_type"] for row in rows)
    return Delivery(types, sorted(wanted - found), reordered, copies)


@dataclass(frozen=True)
class Projection:
    """The web's read model against what was registered and answered."""

    users: int
    stale_profiles: int  # rows without the profile update that followed the sign-up
    unplaced: int  # census rows without an ACTIVE answer and its mesa
    census_rows: dict[str, int]  # user id -> census_status rows of that user
    history: Counter[str]  # answer event id -> census_history rows
    answers: set[str]  # answer events of these users on census.results
    # «Dónde votan»: people counted per scope (the nil UUID: the whole campaign; else a leader),
    # moved one by one as answers arrive, so an answer applied twice would count a person twice.
    counted: dict[str, int]


async def projection(bootstrap: str, web_db: str, user_ids: set[str], phone: str) -> Projection:
    users = await query(web_db, "SELECT user_id::text AS id, telefono FROM users")
    status = await query(
        web_db, "SELECT user_id::text AS id, status, mesa FROM census_status ORDER BY user_id"
    )
    history = await query(web_db, "SELECT event_id::text AS id FROM census_history")
    counted = await query(
        web_db,
        "SELECT scope_id::text AS scope, sum(people)::int AS n FROM voting_place_counts"
        " GROUP BY scope_id",
    )
    results = event_bodies(await read_topic(bootstrap, topics.CENSUS_RESULTS.name))
    answers = {
        body["event_id"]
        for body in results
        if body.get("type") in ANSWERS and body["data"].get("user_id") in user_ids
    }
    return Projection(
        users=len(users),
        stale_profiles=sum(
            1 for row in users if row["id"] in user_ids and row["telefono"] != phone
        ),
        unplaced=sum(1 for row in status if row["status"] != "ACTIVE" or not row["mesa"]),
        census_rows=dict(Counter(row["id"] for row in status)),
        history=Counter(row["id"] for row in history),
        answers=answers,
        counted={row["scope"]: row["n"] for row in counted},
    )


def _position(record: ConsumerRecord) -> tuple[int, int]:
    return record.partition, record.offset


def _event_id(record: ConsumerRecord) -> str:
    """The `ce_id` header; empty when absent (other scenarios leave records without it)."""
    headers: dict[str, bytes] = dict(record.headers or ())
    return headers.get("ce_id", b"").decode()
