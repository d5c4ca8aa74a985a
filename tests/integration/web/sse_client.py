"""A minimal server-sent-events reader for the tests: collects (id, event, data) as they come."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx


@dataclass
class Received:
    id: str | None
    event: str
    data: str


@dataclass
class EventStream:
    client: httpx.AsyncClient
    last_event_id: str | None = None
    events: list[Received] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    first_id: str | None = None

    async def __aenter__(self) -> EventStream:
        headers = {"Accept": "text/event-stream"}
        if self.last_event_id:
            headers["Last-Event-ID"] = self.last_event_id
        self._context = self.client.stream("GET", "/eventos", headers=headers, timeout=None)
        self.response = await self._context.__aenter__()
        self._task = asyncio.create_task(self._read())
        await self.wait(lambda: self.first_id is not None)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError, httpx.HTTPError):
            await self._task
        await self._context.__aexit__(None, None, None)

    async def _read(self) -> None:
        fields: dict[str, str] = {}
        async for line in self.response.aiter_lines():
            if line.startswith(":"):
                self.comments.append(line[1:].strip())
            elif line:
                name, _, value = line.partition(":")
                fields[name] = value.removeprefix(" ")
            else:
                if "id" in fields and self.first_id is None:
                    self.first_id = fields["id"]
                if "event" in fields:
                    self.events.append(Received(fields.get("id"), fields["event"], fields["data"]))
                fields = {}

    def names(self) -> list[str]:
        return [event.event for event in self.events]

    async def wait(self, condition: Callable[[], bool], timeout_s: float = 5.0) -> None:
        async with asyncio.timeout(timeout_s):
            while not condition():
                await asyncio.sleep(0.01)
