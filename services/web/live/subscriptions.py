"""One browser's place in the hub: its bounded queue of messages, the limits on how many a
session, a user and the process may hold, and the keep-alive that idle streams are sent."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from services.web.live.audience import Listener

RESYNC = "resync"


@dataclass(frozen=True)
class Message:
    id: str
    event: str
    data: str


# Written as a comment: keeps an idle connection open through proxies, and finds closed ones.
KEEPALIVE = Message("", "", "")


@dataclass(frozen=True)
class StreamLimits:
    """How many streams a session, a user and the whole process may hold open at once."""

    per_session: int = 6
    per_user: int = 20
    per_process: int = 20_000


class TooManyStreams(Exception):
    """A new stream would pass one of the limits; the message says which, in Spanish."""


class Subscription:
    def __init__(self, listener: Listener, size: int, session: str = "") -> None:
        self.listener = listener
        self.session = session  # the digest of the session it was opened with
        self.queue: asyncio.Queue[Message | None] = asyncio.Queue(maxsize=size)
        self.last_offered = time.monotonic()

    def offer(self, message: Message) -> None:
        """A browser too slow to keep up loses its backlog and is told to fetch everything."""
        self.last_offered = time.monotonic()
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(Message(message.id, RESYNC, ""))

    def keep_alive(self, now: float, idle_s: float) -> bool:
        """Queue a keep-alive if nothing was offered for `idle_s` and nothing waits unsent."""
        if now - self.last_offered < idle_s or not self.queue.empty():
            return False
        self.last_offered = now
        self.queue.put_nowait(KEEPALIVE)
        return True

    def end(self) -> None:
        """The stream ends after what it already has queued (None is its end)."""
        while self.queue.full():
            self.queue.get_nowait()
        self.queue.put_nowait(None)
