"""A minimal server-sent-events client on plain asyncio streams, so that thousands of them fit in
the benchmark's process (httpx's connection pool is searched on every request, which grows with
the square of the clients at this scale). It speaks just what `censo web serve` answers on
/eventos: HTTP/1.1, chunked transfer encoding, `event:`/`data:`/`id:` fields and comments.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SseEvent:
    name: str
    data: str
    received_at: float  # time.time() when the client read it


class SseClient:
    """One browser's stream: `await connect()` returns once the server has subscribed it (the
    stream's first comment arrived); `run()` then hands every event to `on_event`."""

    def __init__(
        self, port: int, cookie: str, on_event: Callable[[SseEvent], None], path: str = "/eventos"
    ) -> None:
        self._port, self._cookie, self._path = port, cookie, path
        self._on_event = on_event
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._text = ""

    async def connect(self) -> None:
        self._reader, self._writer = await asyncio.open_connection("127.0.0.1", self._port)
        request = (
            f"GET {self._path} HTTP/1.1\r\nHost: 127.0.0.1:{self._port}\r\n"
            f"Accept: text/event-stream\r\nCookie: {self._cookie}\r\n\r\n"
        )
        self._writer.write(request.encode())
        status = await self._reader.readline()
        if b" 200 " not in status:
            raise ConnectionError(f"/eventos answered {status!r}")
        while (await self._reader.readline()) not in (b"\r\n", b""):
            pass  # headers: the body is always chunked (a stream has no length)
        while not await self._blocks():  # the first block is the `hola` comment
            pass

    async def run(self) -> None:
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            while True:
                for block in await self._blocks():
                    event = _parse(block)
                    if event is not None:
                        self._on_event(event)

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(Exception):
                await self._writer.wait_closed()

    async def _blocks(self) -> list[str]:
        """The next chunk's complete SSE blocks (the text after the last blank line waits)."""
        assert self._reader is not None
        size = int((await self._reader.readline()).strip() or b"0", 16)
        if size == 0:
            raise ConnectionError("stream ended")
        chunk = await self._reader.readexactly(size + 2)  # the chunk and its CRLF
        self._text += chunk[:-2].decode().replace("\r\n", "\n")
        *blocks, self._text = self._text.split("\n\n")
        return blocks


def _parse(block: str) -> SseEvent | None:
    """An event (name, data), or None for a comment-only block."""
    name, data = "", []
    for line in block.split("\n"):
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "event":
            name = value
        elif field == "data":
            data.append(value)
    if not name and not data:
        return None
    return SseEvent(name or "message", "\n".join(data), time.time())
