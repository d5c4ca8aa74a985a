"""An ADMIN decides a claim for a taken cédula: transfer the account to the claimant, or reject
the claim with a reason. Each decision is final and audited by CedulaClaimResolved."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime
from uuid import UUID

import structlog

from schemas.envelope import utcnow
from schemas.events import ClaimOutcome, Role
from services.registration.domain import events, rbac
from services.registration.domain import validators as v
from services.registration.domain.claims import Claim
from services.registration.domain.commands import RejectClaim, TransferClaim
from services.registration.domain.errors import ClaimNotFound, ClaimNotResolvable, NotPermitted
from services.registration.domain.model import Actor
from services.registration.domain.password_reset import issue_link
from services.registration.service_layer.password_resets import IssuedLink
from services.registration.service_layer.ports import Hasher, UnitOfWork

log = structlog.get_logger(__name__)
ALREADY_RESOLVED = "Este reclamo ya fue resuelto."
CEDULA_CHANGED = "La cédula de la cuenta cambió desde que se presentó el reclamo: no se transfiere."
DISABLED = "La cuenta está desactivada: actívela antes de transferirla."
OWN_ACCOUNT = "Este reclamo es sobre su propia cuenta: debe resolverlo otro administrador."


async def transfer_claim(
    cmd: TransferClaim,
    actor: Actor,
    uow: UnitOfWork,
    hasher: Hasher,
    clock: Callable[[], datetime] = utcnow,
) -> IssuedLink:
    """The account takes the claimant's nombre and teléfono, becomes a USER, loses its password
    (the former holder can no longer log in) and gets a one-time reset link for the claimant,
    all in one transaction with their events. The web ends the account's sessions."""
    if not rbac.can_resolve_claims(actor):
        raise NotPermitted()
    unusable = await hasher.hash(secrets.token_urlsafe(32))  # nobody knows it
    async with uow:
        claim = await _open_claim(uow, cmd.claim_id)
        user = await uow.users.get(claim.user_id, for_update=True)
        assert user is not None  # the claim's foreign key keeps the account
        if user.id == actor.id:
            raise ClaimNotResolvable(OWN_ACCOUNT)
        if user.cedula != claim.cedula:
            raise ClaimNotResolvable(CEDULA_CHANGED)
        if user.disabled:
            raise ClaimNotResolvable(DISABLED)
        now = clock()
        previous_role = user.role
        user.nombre, user.telefono, user.role = claim.nombre, claim.telefono, Role.USER
        user.password_hash, user.must_change_password = unusable, False
        await uow.users.save(user)
        await uow.outbox.add(events.profile_updated(user, cmd.correlation_id))
        if previous_role is not Role.USER:  # the role was the former holder's, not the cédula's
            await uow.outbox.add(
                events.role_changed(user, previous_role, actor.id, cmd.correlation_id)
            )
        token, link = issue_link(user.id, actor.id, now)
        await uow.reset_links.add(link)
        await uow.outbox.add(events.reset_issued(link, cmd.correlation_id))
        await _resolve(uow, claim.resolved(ClaimOutcome.TRANSFERIDO, actor.id, now), cmd)
        await uow.commit()
    log.info("claim.transferred", claim_id=str(claim.id), user_id=str(user.id), by=str(actor.id))
    return IssuedLink(token, link)


async def reject_claim(
    cmd: RejectClaim, actor: Actor, uow: UnitOfWork, clock: Callable[[], datetime] = utcnow
) -> Claim:
    """The account stays as it is; the reason is kept with the decision."""
    if not rbac.can_resolve_claims(actor):
        raise NotPermitted()
    reason = v.free_text(cmd.reason, "reason", v.MAX_MENSAJE)
    async with uow:
        claim = await _open_claim(uow, cmd.claim_id)
        rejected = claim.resolved(ClaimOutcome.RECHAZADO, actor.id, clock(), reason)
        await _resolve(uow, rejected, cmd)
        await uow.commit()
    log.info("claim.rejected", claim_id=str(claim.id), by=str(actor.id))
    return rejected


async def _open_claim(uow: UnitOfWork, claim_id: UUID) -> Claim:
    claim = await uow.claims.get(claim_id, for_update=True)
    if claim is None:
        raise ClaimNotFound()
    if not claim.open:
        raise ClaimNotResolvable(ALREADY_RESOLVED)
    return claim


async def _resolve(uow: UnitOfWork, claim: Claim, cmd: TransferClaim | RejectClaim) -> None:
    await uow.claims.save(claim)
    await uow.outbox.add(events.claim_resolved(claim, cmd.correlation_id))
