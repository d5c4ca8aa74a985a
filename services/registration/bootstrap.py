"""Composition root of the registration service: builds its collaborators from settings at
start-up (database engine and migrations, unit of work, password hasher, limits, the outbox relay
and its Kafka publisher). The app's lifespan and the command line call it; nothing runs at import.
"""

from __future__ import annotations

from dataclasses import dataclass

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from services.common.db import make_engine, make_sessionmaker, wait_for_database
from services.common.migrations import migrate, require_current_schema
from services.registration.adapters.password_hasher import PasswordHasher
from services.registration.adapters.unit_of_work import SqlUnitOfWork
from services.registration.domain.throttle import GrowingDelay, Limit
from services.registration.migrations import MIGRATIONS
from services.registration.outbox.metrics import RelayMetrics
from services.registration.outbox.publisher import KafkaPublisher
from services.registration.outbox.relay import OutboxRelay
from services.registration.service_layer.claims import ClaimLimits
from services.registration.service_layer.sessions import LoginLimits
from services.registration.service_layer.sign_up_limits import SignUpLimits
from services.registration.settings import RegistrationSettings

log = structlog.get_logger(__name__)
MIGRATE_COMMAND = "censo registration migrate"
RELAY_POOL_SIZE = 2  # the relay's batch transaction, and its clean-up
DAY_S = 86_400


@dataclass
class Services:
    settings: RegistrationSettings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    hasher: PasswordHasher
    login_limits: LoginLimits
    sign_up_limits: SignUpLimits
    validation_limit: Limit
    claim_limits: ClaimLimits

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.sessionmaker)

    async def close(self) -> None:
        await self.engine.dispose()


def make_hasher(settings: RegistrationSettings) -> PasswordHasher:
    return PasswordHasher(
        settings.argon2_time_cost, settings.argon2_memory_cost_kib, settings.argon2_parallelism
    )


async def open_database(
    settings: RegistrationSettings, pool_size: int, *, migrate_to: str | None = None
) -> AsyncEngine:
    """An engine once the database answers (DatabaseUnavailable after the start-up timeout),
    migrated to `migrate_to`, or to the newest revision when settings migrate on start; when they
    do not, SchemaNotCurrent unless the schema is already at the newest revision."""
    engine = make_engine(settings.database_url, pool_size=pool_size)
    try:
        await wait_for_database(engine, settings.database_startup_timeout_s)
        revision = migrate_to or ("head" if settings.migrates_on_start else None)
        if revision is not None:
            await migrate(engine, MIGRATIONS, revision)
        else:
            await require_current_schema(engine, MIGRATIONS, MIGRATE_COMMAND)
    except BaseException:
        await engine.dispose()
        raise
    return engine


async def prepare_database(settings: RegistrationSettings, migrate_to: str | None = None) -> None:
    """Wait for the database and migrate it as `open_database` does, then let go of it."""
    engine = await open_database(settings, pool_size=1, migrate_to=migrate_to)
    await engine.dispose()


async def start_services(settings: RegistrationSettings) -> Services:
    """Connect to the database (waiting for it), migrate when allowed, and wire the rest."""
    engine = await open_database(settings, settings.db_pool_size)
    if not settings.has_service_token:
        log.error("registration.no_service_token", hint="set REGISTRATION_SERVICE_TOKEN")
    return Services(
        settings=settings,
        engine=engine,
        sessionmaker=make_sessionmaker(engine),
        hasher=make_hasher(settings),
        login_limits=login_limits(settings),
        sign_up_limits=SignUpLimits(
            per_address=Limit("sign_up_address", settings.sign_ups_per_address_hour, 3600),
            interactive_per_address=settings.sign_ups_looked_up_now_per_address,
            interactive_everyone=Limit(
                "sign_up_looked_up_now", settings.sign_ups_looked_up_now_per_minute, 60
            ),
        ),
        validation_limit=Limit(
            "validation_target",
            settings.validation_targets_per_window,
            settings.validation_window_s,
        ),
        claim_limits=claim_limits(settings),
    )


def claim_limits(settings: RegistrationSettings) -> ClaimLimits:
    return ClaimLimits(
        per_address=Limit("claim_address", settings.claims_per_address_day, DAY_S),
        per_cedula=Limit("claim_cedula", settings.claims_per_cedula_day, DAY_S),
    )


def login_limits(settings: RegistrationSettings) -> LoginLimits:
    return LoginLimits(
        per_cedula=GrowingDelay(
            "login_failure",
            free=settings.login_max_failures,
            base_s=settings.login_delay_base_s,
            max_s=settings.login_delay_max_s,
            window_s=settings.login_failure_window_s,
        ),
        per_address=Limit(
            "login_failure_address",
            settings.login_address_max_failures,
            settings.login_failure_window_s,
        ),
    )


def make_relay(
    settings: RegistrationSettings, engine: AsyncEngine, metrics: RelayMetrics | None = None
) -> OutboxRelay:
    return OutboxRelay(settings, engine, KafkaPublisher(settings.kafka), metrics)
