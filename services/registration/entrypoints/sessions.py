"""/api/sessions/verify: the web's login asks whether a cédula and password match."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK

from services.common.client_address import CLIENT_ADDRESS_HEADER, client_address
from services.registration.bootstrap import Services
from services.registration.domain.commands import VerifyCredentials
from services.registration.entrypoints.dto import UserOut, VerifyCredentialsIn
from services.registration.entrypoints.errors import documented
from services.registration.service_layer.sessions import verify_credentials


class SessionsController(Controller):
    path = "/api/sessions"
    tags = ("sessions",)

    @post(
        "/verify",
        operation_id="verify_credentials",
        responses=documented(422, 429),
        status_code=HTTP_200_OK,
        summary="200 with the user, 401 when cédula or password is wrong, 429 when locked.",
    )
    async def verify(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[VerifyCredentialsIn],
        services: NamedDependency[Services],
    ) -> UserOut:
        address = client_address(request.headers.get(CLIENT_ADDRESS_HEADER))
        cmd = VerifyCredentials(data.cedula, data.password, address)
        user = await verify_credentials(cmd, services.uow(), services.hasher, services.login_limits)
        return UserOut.of(user)
