"""JSON API of the web service (operators and scripts; bearer token)."""

from __future__ import annotations

import secrets
from typing import Any
from uuid import UUID

from litestar import Controller, Request, get
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, NotFoundException
from litestar.handlers import BaseRouteHandler
from sqlalchemy.ext.asyncio import AsyncEngine

from services.web import queries
from services.web.settings import WebSettings


def require_api_token(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    settings: WebSettings = connection.app.state.settings
    expected = settings.api_token.get_secret_value()
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if not expected or scheme.lower() != "bearer" or not secrets.compare_digest(token, expected):
        raise NotAuthorizedException("Se requiere un token de acceso válido.")


class CensusApi(Controller):
    path = "/api"
    guards = [require_api_token]  # noqa: RUF012 (Litestar reads a list)
    security = [{"api_token": []}]  # noqa: RUF012 (the OpenAPI document names the scheme)

    @get("/users/{user_id:uuid}/census", name="get_user_census", operation_id="get_user_census")
    async def user_census(self, request: Request, user_id: UUID) -> dict[str, Any]:
        engine: AsyncEngine = request.app.state.engine
        async with engine.connect() as conn:
            view = await queries.census_for_user(conn, user_id)
        if view is None:
            raise NotFoundException("No existe un usuario con ese identificador.")
        return view
