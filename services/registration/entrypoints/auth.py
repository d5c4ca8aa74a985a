"""How the web service authenticates to this API (it is not browser-facing).

Every /api call carries `Authorization: Bearer <REGISTRATION_SERVICE_TOKEN>`, a secret shared with
the web service only. Calls made on behalf of a logged-in user also carry `X-Actor-Id: <user id>`,
which the web sets after its own session check; this service then loads that user and uses the
role stored *here*, so the web can say who acts but never what they may do. `X-Correlation-Id`
(optional) ties the events of one user action together.
"""

from __future__ import annotations

import hmac
from typing import Any
from uuid import UUID, uuid4

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler

from services.registration.bootstrap import Services
from services.registration.domain.errors import UnknownActor
from services.registration.domain.model import Actor
from services.registration.service_layer.roles import resolve_actor

ACTOR_HEADER = "X-Actor-Id"
CORRELATION_HEADER = "X-Correlation-Id"


def require_service_token(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    expected = connection.app.state.services.settings.service_token.get_secret_value()
    scheme, _space, token = connection.headers.get("authorization", "").partition(" ")
    valid = expected and hmac.compare_digest(token.encode(), expected.encode())
    if scheme.lower() != "bearer" or not valid:
        raise NotAuthorizedException("Token de servicio ausente o incorrecto.")


def provide_services(state: State) -> Services:
    services: Services = state.services
    return services


async def provide_actor(
    request: Request[Any, Any, Any], services: NamedDependency[Services]
) -> Actor:
    actor_id = _uuid_or_none(request.headers.get(ACTOR_HEADER))
    if actor_id is None:
        raise UnknownActor()
    return await resolve_actor(actor_id, services.uow())


# The dependency of every route acting on a user's behalf (one mapping of X-Actor-Id to an Actor:
# 401 when unknown, 403 when disabled, for every such route alike).
ACTOR_DEPENDENCY = {"actor": Provide(provide_actor)}


def provide_correlation_id(request: Request[Any, Any, Any]) -> UUID:
    return _uuid_or_none(request.headers.get(CORRELATION_HEADER)) or uuid4()


def _uuid_or_none(raw: str | None) -> UUID | None:
    try:
        return UUID(raw) if raw else None
    except ValueError:
        return None
