"""The lookup's CPU levers on the real page weight, one by one, side by side in one run:
`python -m bench.worker_levers [lookups] [concurrency]`. Each variant is the worker's lookup stack
at `concurrency` with one more lever on than the one before; the replaced loop runs first.
Prints lookups/s, CPU per lookup by process kind and the driver round trips per lookup."""

from __future__ import annotations

import asyncio
import os
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from playwright._impl.connection import Connection
from playwright.async_api import BrowserContext, Page, Route

from bench.infra import scratch_dir, serving_simulator
from bench.lookups import Tally, drive, found_cedulas, take
from bench.meters import Meters
from bench.worker_throughput import CAPTCHA_KEY, SIM_LATENCY_MS, _baseline, _Run, _settings
from services.census_worker.lookup.browser import chromium_features
from services.census_worker.lookup.browser.blocking import stand_in_for_widget
from services.census_worker.lookup.browser.stealth import ContextPreparer
from services.census_worker.lookup.factory import open_lookup_stack
from services.census_worker.lookup.wsp import page as wsp_page

_FILL_IN_ONE_CALL = wsp_page.fill
_WORKERS_FEATURES = chromium_features.DISABLED

_ROUTED = r"\.(png|jpe?g|gif|woff2?)(\?|$)|/recaptcha/"


async def _routed_blocking(context: BrowserContext) -> None:
    """What blocking was before: a Playwright route (every request paused for the driver)."""

    async def abort(route: Route) -> None:
        await route.abort("blockedbyclient")

    import re

    await context.route(re.compile(_ROUTED), abort)
    await stand_in_for_widget(context)


async def _fill_step_by_step(page: Page, cedula: str, captcha_token: str) -> None:
    """How the form was filled before: one driver call per field, then one for the token."""
    await page.fill("#nuip", cedula)
    await page.select_option("#tipo", value="-1")
    await page.evaluate(
        "t => { document.querySelector('#g-recaptcha-response').value = t; }", captcha_token
    )


# variant → (LookupSettings overrides, extra context preparers, form filled step by step,
# Chromium features disabled besides the worker's)
LEVERS: dict[str, tuple[dict[str, Any], list[ContextPreparer], bool, tuple[str, ...]]] = {
    "routed blocking, fresh context": (
        {"block_unneeded": False, "reuse_pages": False},
        [],
        True,
        (),
    ),
    "CDP blocking, fresh context": ({"reuse_pages": False}, [], True, ()),
    "CDP blocking, warm pages": ({"reuse_pages": True}, [], True, ()),
    "CDP blocking, warm pages, one call to fill": ({"reuse_pages": True}, [], False, ()),
    "… and no back-forward cache": ({"reuse_pages": True}, [], False, ("BackForwardCache",)),
}
LEVERS["routed blocking, fresh context"][1].append(_routed_blocking)


class RoundTrips:
    """Counts the messages this process sends Playwright's driver, by method."""

    def __init__(self) -> None:
        self.sent: Counter[str] = Counter()
        self._original = Connection.send_message_to_server

    def __enter__(self) -> RoundTrips:
        original, sent = self._original, self.sent

        def counted(conn: Connection, obj: Any, method: str, params: Any, options: Any) -> Any:
            sent[f"{type(obj).__name__}.{method}"] += 1
            return original(conn, obj, method, params, options)

        Connection.send_message_to_server = counted  # type: ignore[method-assign,assignment]  # counting, bench only
        return self

    def __exit__(self, *_: object) -> None:
        Connection.send_message_to_server = self._original  # type: ignore[method-assign]


async def _lever(run: _Run, variant: str, concurrency: int, count: int) -> None:
    overrides, preparers, step_by_step, features = LEVERS[variant]
    # The levers are module attributes the lookup reads at each launch and fill.
    chromium_features.DISABLED = (*_WORKERS_FEATURES, *features)  # type: ignore[assignment]  # ^
    wsp_page.fill = _fill_step_by_step if step_by_step else _FILL_IN_ONE_CALL
    settings = _settings(run.sim_url, concurrency, min(20, 2 * concurrency)).model_copy(
        update=overrides
    )
    warmup, cedulas = take(run.cedulas, concurrency), take(run.cedulas, count)
    tally = Tally()
    meters = Meters(tally, run.excluded)
    async with open_lookup_stack(settings, preparers) as stack:
        await drive(stack.source, warmup, concurrency, None)
        with meters, RoundTrips() as trips:
            seconds = await drive(stack.source, cedulas, concurrency, tally)
        launches = stack.browser.launches
    cpu = meters.cpu
    split = ", ".join(f"{k} {v / count:.3f}" for k, v in cpu.seconds.items())
    print(
        f"{variant}: {tally.active / seconds:.2f}/s, {tally.failures.total()} failed, "
        f"CPU {cpu.total_s / count:.3f} s/lookup ({split}); busy {cpu.machine_busy:.0%}; "
        f"{trips.sent.total() / count:.1f} driver messages/lookup, {launches} launches, "
        f"load {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    top = ", ".join(f"{m} {n / count:.1f}" for m, n in trips.sent.most_common(12))
    print(f"  messages per lookup: {top}", flush=True)


async def main(count: int, concurrency: int, workdir: Path) -> None:
    sim = serving_simulator(
        workdir, latency_ms=SIM_LATENCY_MS, captcha_solve_ms=0, page_weight="real"
    )
    with sim as running:
        cedulas: Iterator[str] = found_cedulas(11)
        run = _Run(running.url, (running.process.pid,), cedulas, 1)
        print(f"load average before: {os.getloadavg()}", flush=True)
        base = await _baseline(run, max(4, count // 6))
        print(
            f"replaced loop: {base.rate:.2f}/s, CPU {base.meters.cpu.total_s / base.tally.done:.3f}"
        )
        for variant in LEVERS:
            await _lever(run, variant, concurrency, count)
    assert CAPTCHA_KEY


if __name__ == "__main__":
    count, concurrency = ([int(a) for a in sys.argv[1:]] + [40, 8][len(sys.argv) - 1 :])[:2]
    with scratch_dir("censo-bench-levers-") as workdir:
        asyncio.run(main(count, concurrency, workdir))
