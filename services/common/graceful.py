"""Running an operator's command so that SIGTERM (or Ctrl-C) stops it cleanly: the signal cancels
the command's task, its `finally` blocks run (a half-built schema is dropped, a run is marked
failed, the failure is audited), and the process exits 143 (130 for Ctrl-C) with one line."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")
EXIT_CODES = {signal.SIGTERM: 143, signal.SIGINT: 130}


class Stopped(Exception):
    """The command was stopped by `signal`; what it did so far was undone or recorded."""

    def __init__(self, received: signal.Signals) -> None:
        super().__init__(f"stopped by {received.name}; nothing half-done was left behind")
        self.exit_code = EXIT_CODES[received]


def run_stoppable(command: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run(command)`, but SIGTERM and SIGINT cancel it and raise Stopped."""
    return asyncio.run(_stoppable(command))


async def _stoppable(command: Coroutine[Any, Any, T]) -> T:
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(command)
    received: list[signal.Signals] = []

    def stop(which: signal.Signals) -> None:
        received.append(which)
        task.cancel()

    for which in EXIT_CODES:
        loop.add_signal_handler(which, stop, which)
    try:
        return await task
    except asyncio.CancelledError:
        if received:
            raise Stopped(received[0]) from None
        raise
    finally:
        for which in EXIT_CODES:
            loop.remove_signal_handler(which)
