"""/api/validation-requests: ask for cédulas to be re-checked against the census."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_202_ACCEPTED

from schemas.events import ValidationReason
from services.registration.bootstrap import Services
from services.registration.domain.commands import RequestValidation
from services.registration.domain.errors import InvalidFields, NotPermitted, UserNotFound
from services.registration.domain.model import Actor
from services.registration.entrypoints.auth import ACTOR_DEPENDENCY
from services.registration.entrypoints.dto import (
    BulkValidationRequestIn,
    RefusedTarget,
    ValidationRequestIn,
    ValidationRequestOut,
)
from services.registration.entrypoints.errors import documented
from services.registration.service_layer.validations import (
    NOT_ALLOWED,
    NOT_FOUND,
    ValidationOutcome,
    request_validation,
)

REFUSAL_MESSAGES = {
    NOT_ALLOWED: "No tiene permiso para solicitar la validación de este usuario.",
    NOT_FOUND: "Usuario: no existe.",
}


def _answer(outcome: ValidationOutcome) -> ValidationRequestOut:
    refused = [
        RefusedTarget(user_id=user_id, reason=why, message=REFUSAL_MESSAGES[why])
        for user_id, why in outcome.refused.items()
    ]
    return ValidationRequestOut(
        correlation_id=outcome.correlation_id, queued=outcome.queued, refused=refused
    )


class ValidationRequestsController(Controller):
    path = "/api/validation-requests"
    tags = ("validation",)
    dependencies = ACTOR_DEPENDENCY

    @post(
        operation_id="request_validation",
        responses=documented(403, 404, 422, 429),
        status_code=HTTP_202_ACCEPTED,
        summary="Re-check one user's cédula: yourself; a LEADER their referrals; an ADMIN anyone.",
    )
    async def single(
        self,
        data: JSONBody[ValidationRequestIn],
        services: NamedDependency[Services],
        actor: NamedDependency[Actor],
        correlation_id: NamedDependency[UUID],
    ) -> ValidationRequestOut:
        cmd = RequestValidation((data.user_id,), ValidationReason(data.reason), correlation_id)
        outcome = await request_validation(cmd, actor, services.uow(), services.validation_limit)
        if outcome.refused:
            raise UserNotFound() if outcome.refused[data.user_id] == NOT_FOUND else NotPermitted()
        return _answer(outcome)

    @post(
        "/bulk",
        operation_id="request_bulk_validation",
        responses=documented(403, 422, 429),
        status_code=HTTP_202_ACCEPTED,
        summary="Re-check up to 1,000 users; answers what was queued and what was refused and why.",
    )
    async def bulk(
        self,
        data: JSONBody[BulkValidationRequestIn],
        services: NamedDependency[Services],
        actor: NamedDependency[Actor],
        correlation_id: NamedDependency[UUID],
    ) -> ValidationRequestOut:
        most = services.settings.bulk_max_targets
        if not 1 <= len(data.user_ids) <= most:
            raise InvalidFields.one(
                "user_ids", f"indique entre 1 y {most:,} usuarios.".replace(",", ".")
            )
        cmd = RequestValidation(tuple(data.user_ids), ValidationReason(data.reason), correlation_id)
        return _answer(
            await request_validation(cmd, actor, services.uow(), services.validation_limit)
        )
