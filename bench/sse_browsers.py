"""The SSE fan-out's browsers in processes of their own (issue 18): with them inside the
benchmark's process, their reading competed with the projector thread and their one event loop
delayed its own clock readings. Each process holds a share of the streams (`SseClient`), runs at
a lower priority (on a deployment the browsers are other machines; here they must not take the
web process's cores) and sends back, in small batches, what it read and when (`time.time()`,
comparable across processes of one machine)."""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from uuid import UUID

from bench.sse_client import SseClient, SseEvent

STREAMS_PER_PROCESS = 2500
NICENESS = int(os.environ.get("BENCH_SSE_BROWSER_NICENESS", "0"))
CONNECTING_AT_ONCE = 50  # per process
FLUSH_S = 0.05


@dataclass
class Readings:
    """What every browser read: the change events by user, and the resyncs."""

    received: dict[UUID, list[float]] = field(default_factory=dict)
    resyncs: int = 0

    @property
    def count(self) -> int:
        return sum(map(len, self.received.values()))


class BrowserFleet:
    """`with BrowserFleet(port, cookies) as fleet:` every stream is connected (the server has
    subscribed it); `fleet.collect(expected, timeout_s)` gathers readings until `expected`."""

    def __init__(self, port: int, cookies: Sequence[str]) -> None:
        count = max(1, -(-len(cookies) // STREAMS_PER_PROCESS))
        shares = [list(cookies[i::count]) for i in range(count)]
        context = multiprocessing.get_context("spawn")
        self.readings = Readings()
        self._pipes: list[Connection] = []
        self._theirs: list[Connection] = []
        self._processes: list[BaseProcess] = []
        for share in shares:
            ours, theirs = context.Pipe()
            process = context.Process(target=browse, args=(port, share, theirs), daemon=True)
            self._pipes.append(ours)
            self._theirs.append(theirs)
            self._processes.append(process)

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self._processes if p.pid is not None]

    def __enter__(self) -> BrowserFleet:
        for process, theirs in zip(self._processes, self._theirs, strict=True):
            process.start()
            theirs.close()  # the child's end lives in the child: its exit is then our EOF
        for pipe in self._pipes:
            kind, detail = pipe.recv()  # ("connected", n) or ("failed", reason)
            if kind != "connected":
                self.__exit__()
                raise ConnectionError(f"browsers could not connect: {detail}")
        return self

    def __exit__(self, *exc: object) -> None:
        for pipe in self._pipes:
            with contextlib.suppress(OSError):
                pipe.send("stop")
        for process, pipe in zip(self._processes, self._pipes, strict=True):
            with contextlib.suppress(EOFError, OSError):
                while pipe.poll(10):
                    self._take(pipe.recv())
            process.join(10)
            if process.is_alive():
                process.kill()

    async def collect(self, expected: int, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while self.readings.count < expected and time.monotonic() < deadline:
            self.drain()
            await asyncio.sleep(FLUSH_S)

    def drain(self) -> None:
        """Take what the browsers sent so far. Called all along: a browser process whose pipe is
        full blocks in `send`, and its streams' events would then be read (and timed) late."""
        for pipe in self._pipes:
            while pipe.poll():
                self._take(pipe.recv())

    def _take(self, message: tuple[str, object]) -> None:
        kind, detail = message
        if kind == "events":
            for user, at in detail:  # type: ignore[attr-defined]
                self.readings.received.setdefault(UUID(user), []).append(at)
        elif kind == "resyncs":
            self.readings.resyncs += int(detail)  # type: ignore[call-overload]


def browse(port: int, cookies: list[str], pipe: Connection) -> None:
    """A browser process: connect every stream, then send back what they read until told."""
    os.nice(NICENESS)
    asyncio.run(_browse(port, cookies, pipe))


async def _browse(port: int, cookies: list[str], pipe: Connection) -> None:
    read: list[tuple[str, float]] = []
    resyncs = 0

    def on_event(event: SseEvent) -> None:
        nonlocal resyncs
        if event.name.startswith("change-"):
            read.append((event.data, event.received_at))
        elif event.name == "resync":
            resyncs += 1

    streams = [SseClient(port, cookie, on_event) for cookie in cookies]
    try:
        await _connect_all(streams)
    except (OSError, ConnectionError) as failure:
        pipe.send(("failed", str(failure)))
        return
    pipe.send(("connected", len(streams)))
    readers = [asyncio.create_task(s.run()) for s in streams]
    try:
        while not pipe.poll():
            await asyncio.sleep(FLUSH_S)
            if read:
                pipe.send(("events", read))
                read = []
    finally:
        for reader in readers:
            reader.cancel()
        await asyncio.gather(*(s.close() for s in streams), return_exceptions=True)
        pipe.send(("events", read))
        pipe.send(("resyncs", resyncs))


async def _connect_all(streams: list[SseClient]) -> None:
    gate = asyncio.Semaphore(CONNECTING_AT_ONCE)

    async def connect(stream: SseClient) -> None:
        async with gate:
            await stream.connect()

    await asyncio.gather(*(connect(s) for s in streams))
