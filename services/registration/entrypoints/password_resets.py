"""Password recovery: one-time reset links (made by an ADMIN or the person's LEADER, used by the
person with no login) and an ADMIN's temporary password."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT

from services.common.client_address import CLIENT_ADDRESS_HEADER, client_address
from services.registration.bootstrap import Services
from services.registration.domain import commands
from services.registration.domain.model import Actor
from services.registration.entrypoints.auth import ACTOR_DEPENDENCY
from services.registration.entrypoints.dto import (
    CompleteResetIn,
    ResetLinkOut,
    ResetTokenIn,
    TemporaryPasswordIn,
    UserOut,
)
from services.registration.entrypoints.errors import documented
from services.registration.service_layer import password_resets, temporary_passwords


def _address(request: Request[Any, Any, Any]) -> str | None:
    return client_address(request.headers.get(CLIENT_ADDRESS_HEADER))


class PasswordResetsController(Controller):
    path = "/api"
    tags = ("password resets",)

    @post(
        "/users/{user_id:uuid}/reset-link",
        operation_id="issue_reset_link",
        responses=documented(403, 404),
        dependencies=ACTOR_DEPENDENCY,
        status_code=HTTP_201_CREATED,
        summary="Make a one-time reset link, valid 24 h (ADMIN; a LEADER for own referrals).",
    )
    async def issue(
        self,
        user_id: FromPath[UUID],
        services: NamedDependency[Services],
        actor: NamedDependency[Actor],
        correlation_id: NamedDependency[UUID],
    ) -> ResetLinkOut:
        cmd = commands.IssueResetLink(user_id, correlation_id=correlation_id)
        issued = await password_resets.issue_reset_link(cmd, actor, services.uow())
        return ResetLinkOut(token=issued.token, expires_at=issued.link.expires_at)

    @put(
        "/users/{user_id:uuid}/temporary-password",
        operation_id="set_temporary_password",
        responses=documented(403, 404, 422),
        dependencies=ACTOR_DEPENDENCY,
        status_code=HTTP_204_NO_CONTENT,
        summary="Set a password the person must change at the next login (ADMIN only).",
    )
    async def set_temporary(
        self,
        user_id: FromPath[UUID],
        data: JSONBody[TemporaryPasswordIn],
        services: NamedDependency[Services],
        actor: NamedDependency[Actor],
        correlation_id: NamedDependency[UUID],
    ) -> None:
        cmd = commands.SetTemporaryPassword(user_id, data.password, correlation_id)
        await temporary_passwords.set_temporary_password(
            cmd, actor, services.uow(), services.hasher, services.login_limits
        )

    @post(
        "/password-resets/check",
        operation_id="check_reset_link",
        responses=documented(403, 410, 422, 429),
        status_code=HTTP_204_NO_CONTENT,
        summary="204 while the link can be used; 410 when not (failures count per address).",
    )
    async def check(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[ResetTokenIn],
        services: NamedDependency[Services],
    ) -> None:
        await password_resets.check_reset_link(
            data.token, _address(request), services.uow(), services.login_limits
        )

    @post(
        "/password-resets",
        operation_id="complete_reset",
        responses=documented(403, 410, 422, 429),
        status_code=HTTP_200_OK,
        summary="Set a new password through a reset link, which is then spent.",
    )
    async def complete(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[CompleteResetIn],
        services: NamedDependency[Services],
        correlation_id: NamedDependency[UUID],
    ) -> UserOut:
        cmd = commands.CompleteReset(
            data.token, data.new_password, correlation_id, client_address=_address(request)
        )
        user = await password_resets.complete_reset(
            cmd, services.uow(), services.hasher, services.login_limits
        )
        return UserOut.of(user)
