"""/api/users: registration, profile, password, role, account state (disabled or not), deletion."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, delete, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT

from services.common.client_address import CLIENT_ADDRESS_HEADER, client_address
from services.registration.bootstrap import Services
from services.registration.domain import commands
from services.registration.domain.model import Actor
from services.registration.entrypoints.auth import ACTOR_DEPENDENCY
from services.registration.entrypoints.dto import (
    AccountStateIn,
    ChangePasswordIn,
    ChangeRoleIn,
    RegisterUserIn,
    UpdateProfileIn,
    UserOut,
)
from services.registration.entrypoints.errors import documented
from services.registration.service_layer import account_state, accounts, deletion, roles


class UsersController(Controller):
    path = "/api/users"
    tags = ("users",)

    @post(
        operation_id="register_user",
        responses=documented(409, 422, 429),
        summary="Register a user (the web's sign-up form); 429 past the sign-ups of one address.",
    )
    async def register(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[RegisterUserIn],
        services: NamedDependency[Services],
        correlation_id: NamedDependency[UUID],
    ) -> UserOut:
        address = client_address(request.headers.get(CLIENT_ADDRESS_HEADER))
        cmd = commands.RegisterUser(
            **data.model_dump(), correlation_id=correlation_id, client_address=address
        )
        user = await accounts.register_user(
            cmd, services.uow(), services.hasher, limits=services.sign_up_limits
        )
        return UserOut.of(user)

    @patch(
        "/{user_id:uuid}",
        operation_id="update_profile",
        responses=documented(403, 404, 422),
        dependencies=ACTOR_DEPENDENCY,
        summary="Change nombre, teléfono or referral goal (the user themselves).",
    )
    async def update_profile(
        self,
        user_id: FromPath[UUID],
        data: JSONBody[UpdateProfileIn],
        services: NamedDependency[Services],
        actor: NamedDependency[Actor],
        correlation_id: NamedDependency[UUID],
    ) -> UserOut:
        cmd = commands.UpdateProfile(user_id, **data.model_dump(), correlation_id=correlation_id)
        return UserOut.of(await accounts.update_profile(cmd, actor, services.uow()))

    @put(
        "/{user_id:uuid}/password",
        operation_id="change_password",
        responses=documented(403, 404, 422, 429),
        dependencies=ACTOR_DEPENDENCY,
        status_code=HTTP_204_NO_CONTENT,
        summary="Change the password (current one required).",
    )
    async def change_password(
        self,
        user_id: FromPath[UUID],
        data: JSONBody[ChangePasswordIn],
        services: NamedDependency[Services],
        actor: NamedDependency[Actor],
    ) -> None:
        cmd = commands.ChangePassword(user_id, data.current_password, data.new_password)
        await accounts.change_password(
            cmd, actor, services.uow(), services.hasher, services.login_limits
        )

    @put(
        "/{user_id:uuid}/role",
        operation_id="change_role",
        responses=documented(403, 404, 409, 422),
        dependencies=ACTOR_DEPENDENCY,
        summary="Set a user's role (ADMIN only; 409 for the last active ADMIN).",
    )
    async def change_role(
        self,
        user_id: FromPath[UUID],
        data: JSONBody[ChangeRoleIn],
        services: NamedDependency[Services],
        actor: NamedDependency[Actor],
        correlation_id: NamedDependency[UUID],
    ) -> UserOut:
        cmd = commands.ChangeRole(user_id, data.role, correlation_id=correlation_id)
        return UserOut.of(await roles.change_role(cmd, actor, services.uow()))

    @put(
        "/{user_id:uuid}/state",
        operation_id="set_account_state",
        responses=documented(403, 404, 409, 422),
        dependencies=ACTOR_DEPENDENCY,
        summary="Disable or enable an account (ADMIN only; 409 for the last active ADMIN).",
    )
    async def set_account_state(
        self,
        user_id: FromPath[UUID],
        data: JSONBody[AccountStateIn],
        services: NamedDependency[Services],
        actor: NamedDependency[Actor],
        correlation_id: NamedDependency[UUID],
    ) -> UserOut:
        cmd = commands.SetAccountState(user_id, data.disabled, correlation_id=correlation_id)
        return UserOut.of(await account_state.set_account_state(cmd, actor, services.uow()))

    @delete(
        "/{user_id:uuid}",
        operation_id="delete_account",
        responses=documented(403, 404, 409),
        dependencies=ACTOR_DEPENDENCY,
        summary="Erase the account's personal data (the person or an ADMIN; 409: last ADMIN).",
    )
    async def delete_account(
        self,
        user_id: FromPath[UUID],
        services: NamedDependency[Services],
        actor: NamedDependency[Actor],
        correlation_id: NamedDependency[UUID],
    ) -> None:
        cmd = commands.DeleteAccount(user_id, correlation_id=correlation_id)
        await deletion.delete_account(cmd, actor, services.uow())
