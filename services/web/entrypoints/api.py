"""JSON API of the web service (operators and scripts; bearer token)."""

from __future__ import annotations

import secrets
from typing import Any
from uuid import UUID

from litestar import Controller, get
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException, NotFoundException
from litestar.handlers import BaseRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncEngine

from services.web import queries
from services.web.bootstrap import web_services


def require_api_token(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    expected = web_services(connection.app.state).settings.api_token.get_secret_value()
    scheme, _sep, token = connection.headers.get("authorization", "").partition(" ")
    # Bytes: compare_digest refuses str with non-ASCII characters (a 500 instead of a 401).
    valid = expected and secrets.compare_digest(token.encode(), expected.encode())
    if scheme.lower() != "bearer" or not valid:
        raise NotAuthorizedException("Se requiere un token de acceso válido.")


class ErrorOut(BaseModel):
    """An error answer: `detail` in Spanish."""

    status_code: int
    detail: str


def _error(description: str) -> ResponseSpec:
    return ResponseSpec(ErrorOut, generate_examples=False, description=description)


class CensusApi(Controller):
    path = "/api"
    guards = [require_api_token]  # noqa: RUF012 (Litestar reads a list)
    security = [{"api_token": []}]  # noqa: RUF012 (the OpenAPI document names the scheme)

    @get(
        "/users/{user_id:uuid}/census",
        name="get_user_census",
        operation_id="get_user_census",
        responses={
            401: _error("The bearer token is missing or wrong."),
            404: _error("No user with that id."),
        },
    )
    async def user_census(
        self, engine: NamedDependency[AsyncEngine], user_id: FromPath[UUID]
    ) -> dict[str, Any]:
        async with engine.connect() as conn:
            view = await queries.census_for_user(conn, user_id)
        if view is None:
            raise NotFoundException("No existe un usuario con ese identificador.")
        return view
