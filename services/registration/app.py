"""The registration API's app factory: routes, guards, error mapping, and a lifespan that asks
the composition root (`bootstrap.py`) for the service's collaborators.

Nothing is built at import: the database engine, the hasher and (optionally) the in-process relay
come to life in the lifespan, from the settings given to `create_app` or read from the environment.
Callers (the web service only) authenticate as described in `entrypoints/auth.py`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from litestar import Litestar, Router
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig

from services.common.log_context import LoggingPlugin
from services.registration.bootstrap import make_relay, start_services
from services.registration.entrypoints.account_admin import AccountAdminController
from services.registration.entrypoints.auth import (
    provide_correlation_id,
    provide_services,
    require_service_token,
)
from services.registration.entrypoints.claims import ClaimsController
from services.registration.entrypoints.errors import EXCEPTION_HANDLERS
from services.registration.entrypoints.health import HEALTH_HANDLERS, RegistrationMetrics
from services.registration.entrypoints.password_resets import PasswordResetsController
from services.registration.entrypoints.person_keys import PersonKeysController
from services.registration.entrypoints.sessions import SessionsController
from services.registration.entrypoints.users import UsersController
from services.registration.entrypoints.validations import ValidationRequestsController
from services.registration.settings import RegistrationSettings

Lifespan = AbstractAsyncContextManager[None]


def create_app(settings: RegistrationSettings | None = None) -> Litestar:
    metrics = RegistrationMetrics()  # one per app: counted by its middleware, read by /metrics
    api = Router(
        path="/",
        route_handlers=[
            UsersController,
            SessionsController,
            ValidationRequestsController,
            PasswordResetsController,
            PersonKeysController,
            ClaimsController,
            AccountAdminController,
        ],
        guards=[require_service_token],
        dependencies={"correlation_id": Provide(provide_correlation_id, sync_to_thread=False)},
    )
    return Litestar(
        route_handlers=[api, *HEALTH_HANDLERS],
        lifespan=[_lifespan(settings)],
        dependencies={
            "services": Provide(provide_services, sync_to_thread=False),
            "registration_metrics": Provide(lambda: metrics, sync_to_thread=False),
        },
        middleware=[metrics.middleware],
        exception_handlers=EXCEPTION_HANDLERS,
        plugins=[LoggingPlugin()],
        openapi_config=OpenAPIConfig(title="Censo · registration", version="1.0.0"),
    )


def _lifespan(settings: RegistrationSettings | None) -> Callable[[Litestar], Lifespan]:
    """Settings are read here, at start-up, when the caller gave none."""

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        services = await start_services(settings or RegistrationSettings())
        app.state.services = services
        stop = asyncio.Event()
        relay_task = None
        if services.settings.relay_in_process:
            relay = make_relay(services.settings, services.engine)
            relay_task = asyncio.create_task(relay.run(stop))
        app.state.relay_task = relay_task  # kept so the task is neither collected nor forgotten
        try:
            yield
        finally:
            stop.set()
            if relay_task is not None:
                await relay_task
            await services.close()

    return lifespan
