"""One database transaction holding the repositories a handler needs; commit or roll back all."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.registration.adapters.claims_store import ClaimStore
from services.registration.adapters.erasure_store import AccountEraser
from services.registration.adapters.outbox_store import OutboxWriter
from services.registration.adapters.person_keys_store import PersonKeyStore
from services.registration.adapters.reset_links_store import ResetLinkStore
from services.registration.adapters.throttle_store import ThrottleStore
from services.registration.adapters.users_repository import UserRepository


class SqlUnitOfWork:
    session: AsyncSession
    users: UserRepository
    outbox: OutboxWriter
    throttle: ThrottleStore
    reset_links: ResetLinkStore
    erasure: AccountEraser
    claims: ClaimStore

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    async def __aenter__(self) -> SqlUnitOfWork:
        self.session = self._sessionmaker()
        self.users = UserRepository(self.session)
        keys = PersonKeyStore(self.session)
        self.outbox = OutboxWriter(self.session, keys)
        self.erasure = AccountEraser(self.session, keys)
        self.throttle = ThrottleStore(self.session)
        self.reset_links = ResetLinkStore(self.session)
        self.claims = ClaimStore(self.session)
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.session.rollback()  # no-op after commit
        await self.session.close()

    async def commit(self) -> None:
        await self.outbox.notify_if_pending()
        await self.session.commit()
