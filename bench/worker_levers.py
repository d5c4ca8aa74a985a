"""The lookup's CPU levers on the real page weight, side by side in one run:
`python -m bench.worker_levers [lookups] [concurrency] [rounds] [lever names…]`. The replaced
loop runs first, then each lever of `bench/lookup_levers.py` on top of the worker as it is, at
`concurrency`; with rounds > 1 the levers run again in reverse order (the machine's changing load
falls on both ends). Prints and writes (bench/results/worker_levers-*.json) lookups/s, CPU per
lookup by process kind and by thread, and the driver messages per lookup."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from bench.driver_messages import DriverMessages
from bench.infra import scratch_dir, serving_simulator
from bench.lookup_levers import LEVERS, applied
from bench.lookups import Tally, drive, found_cedulas, take
from bench.meters import Meters
from bench.threads import ThreadMeter
from bench.worker_throughput import SIM_LATENCY_MS, _baseline, _Run, _settings
from services.census_worker.lookup.factory import open_lookup_stack

RESULTS = Path(__file__).with_name("results")


def _per(totals: Mapping[str, float], count: int, top: int) -> dict[str, float]:
    """The `top` largest of `totals`, per lookup (those under 1 ms or one in 1,000 left out)."""
    largest = sorted(totals.items(), key=lambda item: -item[1])[:top]
    return {k: round(v / count, 4) for k, v in largest if v / count >= 0.001}


async def _lever(run: _Run, variant: str, concurrency: int, count: int) -> dict[str, Any]:
    lever = LEVERS[variant]
    settings = _settings(run.sim_url, concurrency, min(20, 2 * concurrency))
    sim_pages = {"consultacenso_url": f"{run.sim_url}/consultacenso/"}
    settings = settings.model_copy(update={**sim_pages, **lever.settings})
    warmup, cedulas = take(run.cedulas, concurrency), take(run.cedulas, count)
    tally = Tally()
    meters = Meters(tally, run.excluded)
    load_before = os.getloadavg()[0]
    with applied(lever):
        async with open_lookup_stack(settings, lever.preparers) as stack:
            await drive(stack.source, warmup, concurrency, None)
            with meters, ThreadMeter(run.excluded) as threads, DriverMessages() as messages:
                seconds = await drive(stack.source, cedulas, concurrency, tally)
            launches = stack.browser.launches
    cpu = meters.cpu
    row: dict[str, Any] = {
        "variant": variant,
        "lookups": count,
        "failed": dict(tally.failures),
        "lookups_per_s": round(tally.active / seconds, 3),
        "cpu_per_lookup_s": round(cpu.total_s / count, 4),
        "cpu_by_kind_s": {k: round(v / count, 4) for k, v in cpu.seconds.items()},
        "cpu_by_thread_s": _per(threads.seconds, count, 25),
        "machine_busy": round(cpu.machine_busy, 3),
        "sent_per_lookup": round(messages.sent.total() / count, 1),
        "received_per_lookup": round(messages.received.total() / count, 1),
        "sent": _per(messages.sent, count, 15),
        "received": _per(messages.received, count, 15),
        "launches": launches,
        "load_1min": [load_before, os.getloadavg()[0]],
    }
    split = ", ".join(f"{k} {v:.3f}" for k, v in row["cpu_by_kind_s"].items())
    print(
        f"{variant}: {row['lookups_per_s']:.2f}/s, {tally.failures.total()} failed, CPU "
        f"{row['cpu_per_lookup_s']:.3f} s/lookup ({split}); busy {cpu.machine_busy:.0%}; "
        f"messages {row['sent_per_lookup']} sent, {row['received_per_lookup']} received; "
        f"{launches} launches; load {row['load_1min'][1]:.1f}",
        flush=True,
    )
    return row


async def main(count: int, concurrency: int, rounds: int, names: list[str], out: Path) -> None:
    variants = names or list(LEVERS)
    order = [v for r in range(rounds) for v in (variants if r % 2 == 0 else variants[::-1])]
    report: dict[str, Any] = {"uptime_before": os.getloadavg(), "started": time.time(), "rows": []}
    with scratch_dir("censo-bench-levers-") as workdir:
        sim = serving_simulator(
            workdir, latency_ms=SIM_LATENCY_MS, captcha_solve_ms=0, page_weight="real"
        )
        with sim as running:
            cedulas: Iterator[str] = found_cedulas(11)
            run = _Run(running.url, (running.process.pid,), cedulas, 1)
            print(f"load average before: {os.getloadavg()}", flush=True)
            base = await _baseline(run, max(4, count // 4))
            cpu = base.meters.cpu
            report["replaced_loop"] = {
                "lookups_per_s": round(base.rate, 3),
                "cpu_per_lookup_s": round(cpu.total_s / base.tally.done, 4),
                "cpu_by_kind_s": {k: round(v / base.tally.done, 4) for k, v in cpu.seconds.items()},
            }
            print(f"replaced loop: {report['replaced_loop']}", flush=True)
            for variant in order:
                report["rows"].append(await _lever(run, variant, concurrency, count))
                out.write_text(json.dumps(report, indent=1))
    report["uptime_after"] = os.getloadavg()
    out.write_text(json.dumps(report, indent=1))
    print(f"load average after: {os.getloadavg()}; written to {out}", flush=True)


if __name__ == "__main__":
    numbers = [int(a) for a in sys.argv[1:] if a.isdigit()]
    names = [a for a in sys.argv[1:] if not a.isdigit()]
    count, concurrency, rounds = (numbers + [40, 8, 1][len(numbers) :])[:3]
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"worker_levers-{time.strftime('%Y%m%d-%H%M%S')}.json"
    asyncio.run(main(count, concurrency, rounds, names, out))
