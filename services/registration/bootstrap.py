"""Composition root: builds the service's collaborators from settings at start-up."""

from __future__ import annotations

from dataclasses import dataclass

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from services.common.db import make_engine, make_sessionmaker, wait_for_database
from services.registration.adapters.password_hasher import PasswordHasher
from services.registration.adapters.unit_of_work import UnitOfWork
from services.registration.domain.throttle import Limit
from services.registration.migrations import upgrade
from services.registration.settings import RegistrationSettings

log = structlog.get_logger(__name__)


@dataclass
class Services:
    settings: RegistrationSettings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    hasher: PasswordHasher
    login_limit: Limit
    validation_limit: Limit

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.sessionmaker)

    async def close(self) -> None:
        await self.engine.dispose()


def make_hasher(settings: RegistrationSettings) -> PasswordHasher:
    return PasswordHasher(
        settings.argon2_time_cost, settings.argon2_memory_cost_kib, settings.argon2_parallelism
    )


async def start_services(settings: RegistrationSettings) -> Services:
    """Connect to the database (waiting for it), migrate when allowed, and wire the rest."""
    engine = make_engine(settings.database_url, pool_size=settings.db_pool_size)
    await wait_for_database(engine)
    if settings.migrate_on_start:
        await upgrade(engine)
    if not settings.has_service_token:
        log.error("registration.no_service_token", hint="set REGISTRATION_SERVICE_TOKEN")
    return Services(
        settings=settings,
        engine=engine,
        sessionmaker=make_sessionmaker(engine),
        hasher=make_hasher(settings),
        login_limit=Limit(
            "login_failure", settings.login_max_failures, settings.login_failure_window_s
        ),
        validation_limit=Limit(
            "validation_request",
            settings.validation_requests_per_window,
            settings.validation_window_s,
        ),
    )
