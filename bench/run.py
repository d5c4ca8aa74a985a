"""`python -m bench.run [--smoke] [--only NAME]`: run the benchmarks, print one table, and write
bench/results/latest.json.

A benchmark is a module with `NAME` and `run(smoke: bool) -> BenchmarkResult`; adding one is
writing that module and adding its line to BENCHMARKS.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback
from pathlib import Path

from rich.console import Console

from bench import machine
from bench.report import RunReport, show
from services.common.logging import configure_logging
from services.common.settings import LoggingSettings

BENCHMARKS: dict[str, str] = {
    "worker_throughput": "bench.worker_throughput",
    "registration_api": "bench.registration_api",
    "rebuild": "bench.rebuild",
    "e2e_latency": "bench.e2e_latency",
    "sse_fanout": "bench.sse_fanout",
    "live_budget": "bench.live_budget",
    "pages": "bench.pages",
    "election_day": "bench.election_day",
}
RESULTS = Path(__file__).parent / "results" / "latest.json"


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="short runs that only prove it works")
    parser.add_argument("--only", choices=sorted(BENCHMARKS), action="append", help="repeatable")
    parser.add_argument("--output", type=Path, default=RESULTS, help="where the JSON goes")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    configure_logging(LoggingSettings(level="WARNING"))  # a line per lookup would drown the table
    console = Console(width=max(Console().width, 150))  # `make` output is no terminal
    report = RunReport(mode="smoke" if args.smoke else "full", machine=machine.describe())
    with machine.LoadWatch() as load:
        for name in args.only or list(BENCHMARKS):
            _run_one(name, args.smoke, report, console)
    report.machine["load_during_run"] = load.summary()
    report.write(args.output)
    show(report, console)
    console.print(f"written to {args.output}")
    return 1 if report.errors else 0


def _run_one(name: str, smoke: bool, report: RunReport, console: Console) -> None:
    console.print(f"[bold]{name}[/bold] …")
    started = time.monotonic()
    try:
        result = importlib.import_module(BENCHMARKS[name]).run(smoke)
    except Exception as exc:  # one broken benchmark must not hide the others' figures
        report.errors[name] = f"{type(exc).__name__}: {exc}"
        traceback.print_exc()
    else:
        report.figures.extend(result.figures)
        report.details[name] = result.details
    report.durations_s[name] = round(time.monotonic() - started, 1)


if __name__ == "__main__":
    sys.exit(main())
