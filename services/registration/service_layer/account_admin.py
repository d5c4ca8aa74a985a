"""An ADMIN edits a person's account: nombre, teléfono and meta (UserEditedByAdmin), and a
mistyped cédula (UserCedulaCorrected, with a ValidationRequested for the corrected one)."""

from __future__ import annotations

from dataclasses import replace

import structlog

from schemas.events import ValidationReason
from services.common.logging import mask_cedula
from services.registration.domain import events, rbac
from services.registration.domain.commands import EditUser
from services.registration.domain.errors import CedulaAlreadyRegistered, NotPermitted
from services.registration.domain.forms import validate_admin_edit
from services.registration.domain.model import Actor, Target, User
from services.registration.service_layer.ports import UnitOfWork
from services.registration.service_layer.targets import account_to_change

log = structlog.get_logger(__name__)
PROFILE_FIELDS = ("nombre", "telefono", "referral_goal")


async def edit_user(cmd: EditUser, actor: Actor | None, uow: UnitOfWork) -> User:
    """Apply the fields that differ; nothing is written (nor emitted) when none does. A corrected
    cédula must be free (CedulaAlreadyRegistered) and is looked up again on the interactive lane,
    as a refresh an ADMIN asked for. `actor` None: an operator on the command line."""
    if actor is not None and not rbac.can_administer_accounts(actor):
        raise NotPermitted()
    by = actor.id if actor else None
    changes = validate_admin_edit(cmd)
    async with uow:
        before = await account_to_change(uow, cmd.user_id)
        changed = [name for name, value in changes.items() if getattr(before, name) != value]
        if not changed:
            return before
        after = replace(before)
        for name in changed:
            setattr(after, name, changes[name])
        corrected = "cedula" in changed
        if corrected and await uow.users.cedula_taken(after.cedula):
            raise CedulaAlreadyRegistered(after.cedula)
        await uow.users.save(after)  # CedulaAlreadyRegistered too if taken meanwhile
        profile = [name for name in PROFILE_FIELDS if name in changed]
        if profile:
            await uow.outbox.add(
                events.edited_by_admin(after, profile, by, cmd.correlation_id, cmd.operator)
            )
        if corrected:
            target = Target(after.id, after.cedula, after.referrer_id)
            await uow.outbox.add(
                events.cedula_corrected(after, by, cmd.correlation_id, cmd.operator),
                events.validation_requested(
                    target, ValidationReason.REFRESH, by, cmd.correlation_id
                ),
            )
        await uow.commit()
    log.info(
        "user.edited_by_admin",
        user_id=str(after.id),
        fields=sorted(changed),
        cedula=mask_cedula(after.cedula) if corrected else None,
        by=str(by) if by else None,
        operator=cmd.operator,
    )
    return after
