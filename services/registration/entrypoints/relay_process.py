"""The relay process (`censo registration relay`): the outbox relay until SIGINT or SIGTERM, with
its metrics and health on REGISTRATION_RELAY_METRICS_PORT when set.

A stop lets the batch in flight finish within a grace period, then cancels it; cancelling loses
nothing, since the batch's transaction rolls back and its rows stay unsent for the next relay.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Coroutine
from typing import Any

import structlog

from services.common.ops_http import serving_ops
from services.registration.bootstrap import RELAY_POOL_SIZE, make_relay, open_database
from services.registration.outbox.metrics import RelayMetrics
from services.registration.settings import RegistrationSettings

log = structlog.get_logger(__name__)
STOP_GRACE_S = 5.0


async def run_relay(settings: RegistrationSettings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await until_stopped(_relay(settings, stop), stop, STOP_GRACE_S)


async def _relay(settings: RegistrationSettings, stop: asyncio.Event) -> None:
    metrics = RelayMetrics()
    host, port = settings.relay_metrics_host, settings.relay_metrics_port
    with serving_ops(metrics.registry, metrics.readiness, host, port, "outbox-relay"):
        engine = await open_database(settings, RELAY_POOL_SIZE)
        try:
            await make_relay(settings, engine, metrics).run(stop)
        finally:
            await engine.dispose()


async def until_stopped(
    work: Coroutine[Any, Any, None], stop: asyncio.Event, grace_s: float
) -> None:
    """Run `work`; once `stop` is set, let it finish within `grace_s`, then cancel it.

    The relay notices `stop` between batches, but a call to an unreachable database or broker can
    block far longer than a process manager waits.
    """
    task = asyncio.ensure_future(work)
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if not task.done():
            await asyncio.wait({task}, timeout=grace_s)
        if not task.done():
            log.warning("outbox.relay_cancelled", grace_s=grace_s)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            return
        await task  # its error, if any
    finally:
        stopping.cancel()
