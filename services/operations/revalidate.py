"""Re-validation in bulk: choose users from the web read model, publish one ValidationRequested
(reason revalidation) each. The worker's politeness limits still pace the lookups themselves."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from aiokafka import AIOKafkaProducer
from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncEngine

from schemas.census import CensusStatus
from schemas.envelope import encode_event
from schemas.events import ValidationReason, ValidationRequested, ValidationRequestedData
from schemas.sealing import seal_event
from services.common.kafka import send_record
from services.common.person_keys import PersonKeyring
from services.kafka_admin.audit import PRODUCER, record_action
from services.web.adapters.census_change_tables import census_changes
from services.web.adapters.tables import census_status, users


@dataclass(frozen=True)
class Selection:
    statuses: Sequence[CensusStatus] = ()
    leader_cedula: str | None = None
    registered_from: datetime | None = None
    registered_to: datetime | None = None
    changed_since: datetime | None = None  # whose census answer changed since then (novedades)

    def describe(self) -> str:
        parts = [
            f"estado {', '.join(s.value for s in self.statuses)}" if self.statuses else "",
            f"referidos de {self.leader_cedula}" if self.leader_cedula else "",
            f"registrados desde {self.registered_from.isoformat()}" if self.registered_from else "",
            f"registrados hasta {self.registered_to.isoformat()}" if self.registered_to else "",
            f"con novedades desde {self.changed_since.isoformat()}" if self.changed_since else "",
        ]
        return "; ".join(p for p in parts if p) or "todos los usuarios"

    def query(self) -> Select[Any]:
        status = census_status.c.status
        query = select(users.c.user_id, users.c.cedula).select_from(
            users.outerjoin(census_status, census_status.c.cedula == users.c.cedula)
        )
        if self.statuses:
            condition: ColumnElement[bool] = status.in_([s.value for s in self.statuses])
            if CensusStatus.PENDING in self.statuses:  # no census row yet counts as pending
                condition = condition | status.is_(None)
            query = query.where(condition)
        if self.leader_cedula:
            leader = select(users.c.user_id).where(users.c.cedula == self.leader_cedula)
            query = query.where(users.c.referrer_id == leader.scalar_subquery())
        if self.registered_from:
            query = query.where(users.c.registered_at >= self.registered_from)
        if self.registered_to:
            query = query.where(users.c.registered_at < self.registered_to)
        if self.changed_since:
            recent = census_changes.c.changed_at >= self.changed_since
            query = query.where(users.c.cedula.in_(select(census_changes.c.cedula).where(recent)))
        return query.order_by(users.c.registered_at)


async def select_targets(engine: AsyncEngine, selection: Selection) -> list[tuple[UUID, str]]:
    """Who to look up again; never a deleted account (its cédula is gone: an `x…` mark)."""
    async with engine.connect() as conn:
        rows = await conn.execute(selection.query())
        return [(row.user_id, row.cedula) for row in rows if row.cedula.isdigit()]


async def revalidate(
    producer: AIOKafkaProducer,
    targets: Sequence[tuple[UUID, str]],
    selection: Selection,
    progress: Callable[[int], None] = lambda _: None,
    keys: PersonKeyring | None = None,
) -> int:
    """Publish the requests (one correlation id for the whole run) and record the action. With
    `keys`, a request is sealed with its person's key (one made before keys existed: in clear)."""
    run = await record_action(producer, "revalidate", selection.describe(), len(targets))
    if keys is not None:
        await keys.prefetch(user_id for user_id, _ in targets)
    for done, (user_id, cedula) in enumerate(targets, start=1):
        event = ValidationRequested(
            producer=PRODUCER,
            correlation_id=run.event_id,
            causation_id=run.event_id,
            data=ValidationRequestedData(
                user_id=user_id, cedula=cedula, reason=ValidationReason.REVALIDATION
            ),
        )
        key = keys.lookup(user_id) if keys is not None else None
        record = seal_event(event, key) if key is not None else encode_event(event)
        await send_record(producer, event.destination, record)
        progress(done)
    return len(targets)
