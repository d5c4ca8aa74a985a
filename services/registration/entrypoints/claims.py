"""Claims for a taken cédula: filed by anyone through the web's public form (limited per client
address and cédula), decided by an ADMIN (transfer the account, or reject)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from services.common.client_address import CLIENT_ADDRESS_HEADER, client_address
from services.registration.bootstrap import Services
from services.registration.domain import commands
from services.registration.domain.model import Actor
from services.registration.entrypoints.auth import ACTOR_DEPENDENCY
from services.registration.entrypoints.dto import (
    ClaimFiledOut,
    ClaimIn,
    ClaimRejectionIn,
    ClaimTransferOut,
)
from services.registration.entrypoints.errors import documented
from services.registration.service_layer import claim_decisions, claims


class ClaimsController(Controller):
    path = "/api/claims"
    tags = ("claims",)

    @post(
        operation_id="file_claim",
        responses=documented(422, 429),
        status_code=HTTP_201_CREATED,
        summary="File a claim for a cédula someone else registered (the web's public form).",
    )
    async def file(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[ClaimIn],
        services: NamedDependency[Services],
        correlation_id: NamedDependency[UUID],
    ) -> ClaimFiledOut:
        address = client_address(request.headers.get(CLIENT_ADDRESS_HEADER))
        cmd = commands.FileClaim(
            data.cedula, data.nombre, data.telefono, data.mensaje, correlation_id, address
        )
        claim = await claims.file_claim(cmd, services.uow(), services.claim_limits)
        return ClaimFiledOut(claim_id=claim.id, filed_at=claim.filed_at)

    @post(
        "/{claim_id:uuid}/transfer",
        operation_id="transfer_claim",
        responses=documented(403, 404, 409),
        dependencies=ACTOR_DEPENDENCY,
        status_code=HTTP_201_CREATED,
        summary="Give the account to the claimant, with a one-time reset link (ADMIN only).",
    )
    async def transfer(
        self,
        claim_id: FromPath[UUID],
        services: NamedDependency[Services],
        actor: NamedDependency[Actor],
        correlation_id: NamedDependency[UUID],
    ) -> ClaimTransferOut:
        cmd = commands.TransferClaim(claim_id, correlation_id)
        issued = await claim_decisions.transfer_claim(cmd, actor, services.uow(), services.hasher)
        link = issued.link
        return ClaimTransferOut(
            user_id=link.user_id, token=issued.token, expires_at=link.expires_at
        )

    @post(
        "/{claim_id:uuid}/reject",
        operation_id="reject_claim",
        responses=documented(403, 404, 409, 422),
        dependencies=ACTOR_DEPENDENCY,
        status_code=HTTP_204_NO_CONTENT,
        summary="Reject a claim, with the reason (ADMIN only).",
    )
    async def reject(
        self,
        claim_id: FromPath[UUID],
        data: JSONBody[ClaimRejectionIn],
        services: NamedDependency[Services],
        actor: NamedDependency[Actor],
        correlation_id: NamedDependency[UUID],
    ) -> None:
        cmd = commands.RejectClaim(claim_id, data.reason, correlation_id)
        await claim_decisions.reject_claim(cmd, actor, services.uow())
