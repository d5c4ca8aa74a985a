"""An ADMIN's account administration: edit a person (nombre, teléfono, cédula, meta) and hand a
leader's referrals over to another leader."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK

from services.registration.bootstrap import Services
from services.registration.domain import commands
from services.registration.domain.model import Actor
from services.registration.entrypoints.auth import ACTOR_DEPENDENCY
from services.registration.entrypoints.dto import EditUserIn, HandOverIn, HandOverOut, UserOut
from services.registration.entrypoints.errors import documented
from services.registration.service_layer import account_admin, hand_over


class AccountAdminController(Controller):
    path = "/api"
    tags = ("account administration",)
    dependencies = ACTOR_DEPENDENCY

    @patch(
        "/users/{user_id:uuid}/account",
        operation_id="edit_user",
        responses=documented(403, 404, 409, 422),
        summary="An ADMIN edits nombre, teléfono, cédula (409: taken) or meta of anyone.",
    )
    async def edit_user(
        self,
        user_id: FromPath[UUID],
        data: JSONBody[EditUserIn],
        services: NamedDependency[Services],
        actor: NamedDependency[Actor],
        correlation_id: NamedDependency[UUID],
    ) -> UserOut:
        cmd = commands.EditUser(user_id, **data.model_dump(), correlation_id=correlation_id)
        return UserOut.of(await account_admin.edit_user(cmd, actor, services.uow()))

    @post(
        "/referrals/hand-over",
        operation_id="hand_over_referrals",
        responses=documented(403, 404, 422),
        status_code=HTTP_200_OK,
        summary="An ADMIN moves all (or the named) direct referrals of a leader to another.",
    )
    async def hand_over(
        self,
        data: JSONBody[HandOverIn],
        services: NamedDependency[Services],
        actor: NamedDependency[Actor],
        correlation_id: NamedDependency[UUID],
    ) -> HandOverOut:
        chosen = tuple(data.user_ids) if data.user_ids is not None else None
        cmd = commands.HandOverReferrals(
            data.from_leader_id, data.to_leader_id, chosen, correlation_id=correlation_id
        )
        return HandOverOut(moved=await hand_over.hand_over_referrals(cmd, actor, services.uow()))
