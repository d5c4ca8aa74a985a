"""Requests to re-check cédulas against the census: one ValidationRequested per accepted target."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from uuid import UUID

import structlog

from schemas.envelope import utcnow
from schemas.events import Role
from services.registration.domain import events
from services.registration.domain.commands import RequestValidation
from services.registration.domain.errors import InvalidFields, Throttled
from services.registration.domain.model import Actor
from services.registration.domain.rbac import can_request_validation
from services.registration.domain.throttle import Limit, seconds_until_allowed
from services.registration.service_layer.ports import UnitOfWork

log = structlog.get_logger(__name__)
RATE_MESSAGE = "Usuarios: se pidió verificar demasiadas cédulas en poco tiempo; espere un momento."
Refusal = Literal["no_permitido", "no_existe"]
NOT_ALLOWED: Refusal = "no_permitido"
NOT_FOUND: Refusal = "no_existe"


@dataclass
class ValidationOutcome:
    correlation_id: UUID
    queued: list[UUID] = field(default_factory=list)
    refused: dict[UUID, Refusal] = field(default_factory=dict)


async def request_validation(
    cmd: RequestValidation,
    actor: Actor,
    uow: UnitOfWork,
    limit: Limit,
    clock: Callable[[], datetime] = utcnow,
) -> ValidationOutcome:
    """Queue what the actor may re-check; refuse the rest without saying whether it exists
    (only an ADMIN, who may see everyone, learns that a target does not exist). The actor's limit
    counts targets, each a paid lookup, not calls."""
    outcome = ValidationOutcome(cmd.correlation_id)
    targets_asked = len(set(cmd.user_ids))
    if targets_asked > limit.max_hits:  # could never fit: say so instead of "wait"
        raise InvalidFields.one("user_ids", f"pida a lo sumo {limit.max_hits} a la vez.")
    async with uow:
        now = clock()
        hits = await uow.throttle.recent_hits(limit, str(actor.id), now)
        wait_s = seconds_until_allowed(limit, hits, now, cost=targets_asked)
        if wait_s is not None:
            raise Throttled(RATE_MESSAGE, wait_s)
        await uow.throttle.record(limit, str(actor.id), now, weight=targets_asked)
        targets = await uow.users.targets(cmd.user_ids)
        accepted = []
        for user_id in dict.fromkeys(cmd.user_ids):
            target = targets.get(user_id)
            if target is not None and not target.erased and can_request_validation(actor, target):
                accepted.append(
                    events.validation_requested(target, cmd.reason, actor.id, cmd.correlation_id)
                )
                outcome.queued.append(user_id)
            else:
                outcome.refused[user_id] = NOT_FOUND if actor.role is Role.ADMIN else NOT_ALLOWED
        await uow.outbox.add(*accepted)
        await uow.commit()
    log.info(
        "validation.requested",
        actor=str(actor.id),
        queued=len(outcome.queued),
        refused=len(outcome.refused),
        reason=cmd.reason.value,
        correlation_id=str(cmd.correlation_id),
    )
    return outcome
