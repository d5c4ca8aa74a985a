"""The SSE fan-out's projector in a process of its own (issue 18): as a thread of the benchmark it
used more CPU than the web server (106 against 29 CPU-s at 10,000 browsers) and shared the
benchmark's GIL with the drain of the browsers' readings. Here it projects the changes back to
back, at niceness `BENCH_SSE_PROJECTOR_NICENESS` (0 by default), and sends back when each
transaction had committed and the CPU it used."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from dataclasses import dataclass
from multiprocessing.connection import Connection
from uuid import UUID

from bench.fanout_population import project_changes
from schemas.events import UserRegistered

NICENESS = int(os.environ.get("BENCH_SSE_PROJECTOR_NICENESS", "0"))
Commits = list[tuple[UUID, float]]  # (user id, time.time() when its COMMIT was sent)


@dataclass(frozen=True)
class Projected:
    commits: Commits
    cpu_s: float  # the projector process's own CPU while projecting


class ProjectorProcess:
    """`with ProjectorProcess(url, users, first_offset) as projector:` projects a CedulaValidated
    for each of `users` (record offsets from `first_offset` on); poll `done`, then `result()`."""

    def __init__(self, database_url: str, users: list[UserRegistered], first_offset: int) -> None:
        context = multiprocessing.get_context("spawn")
        self._pipe, theirs = context.Pipe(duplex=False)
        args = (database_url, users, first_offset, theirs)
        self._process = context.Process(target=_project, args=args, daemon=True)
        self._theirs = theirs

    def __enter__(self) -> ProjectorProcess:
        self._process.start()
        self._theirs.close()  # the child's end lives in the child: its exit is then our EOF
        return self

    def __exit__(self, *exc: object) -> None:
        self._process.join(10)
        if self._process.is_alive():
            self._process.kill()

    @property
    def done(self) -> bool:
        return self._pipe.poll()

    def result(self) -> Projected:
        """What the process sent; EOFError if it died without sending (its error is on stderr)."""
        commits, cpu_s = self._pipe.recv()
        return Projected(commits, cpu_s)


def _project(
    database_url: str, users: list[UserRegistered], first_offset: int, pipe: Connection
) -> None:
    os.nice(NICENESS)
    before = os.times()
    commits = asyncio.run(project_changes(database_url, users, first_offset))
    after = os.times()
    pipe.send((commits, after.user + after.system - before.user - before.system))
