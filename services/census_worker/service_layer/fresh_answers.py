"""The census's latest final answer per cédula, kept for the whole deployment: a re-check of a
cédula answered recently enough is answered from it, without a turn at the host or a captcha."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from services.census_worker.domain.model import LookupResult
from services.census_worker.domain.requests import LookupRequest


class AnswerStore(Protocol):
    """Where final answers are kept (PostgreSQL in `adapters.answer_store`, memory in tests)."""

    async def remember(
        self, cedula: str, result: LookupResult, user_id: UUID | None = None
    ) -> None:
        """Keep `result` (as `user_id`'s) unless a newer answer for `cedula` is kept already."""

    async def forget(self, user_id: UUID) -> int:
        """Delete the answers kept for `user_id`'s lookups; how many there were."""

    async def latest_since(self, cedula: str, since: datetime) -> LookupResult | None:
        """The kept answer for `cedula` if it was fetched at or after `since`; its `source` is
        the host that gave it and `fetched_at` when."""


class FreshAnswers:
    def __init__(self, store: AnswerStore, fresh_for: timedelta) -> None:
        self._store = store
        self._fresh_for = fresh_for

    async def for_request(self, request: LookupRequest, now: datetime) -> LookupResult | None:
        """An answer that may stand in for `request`'s lookup, if any."""
        since = request.accepts_answers_since(now, self._fresh_for)
        return await self._store.latest_since(request.cedula, since)

    async def remember(
        self, cedula: str, result: LookupResult, user_id: UUID | None = None
    ) -> None:
        if result.status.is_final:  # failures are never reused: a retry must ask the site
            await self._store.remember(cedula, result, user_id)

    async def forget(self, user_id: UUID) -> int:
        """The person was deleted (Ley 1581): their answers go too."""
        return await self._store.forget(user_id)
