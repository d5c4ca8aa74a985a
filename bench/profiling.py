"""Sampling profile of this process during a block, when asked: `BENCH_PROFILE=<file>` runs
py-spy (if installed: it is not a dependency) against this process and writes its folded stacks
(`--format raw`, one stack and its samples a line) to that file."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.report import progress


@contextmanager
def sampled(label: str) -> Iterator[None]:
    """Profile the block into `$BENCH_PROFILE.<label>` (nothing without BENCH_PROFILE)."""
    target = os.environ.get("BENCH_PROFILE")
    beside = Path(sys.executable).with_name("py-spy")  # the virtualenv's, if installed there
    binary = str(beside) if beside.exists() else shutil.which("py-spy")
    if not target or binary is None:
        yield
        return
    out = f"{target}.{label}"
    command = [binary, "record", "--pid", str(os.getpid()), "--rate", "200"]
    command += ["--format", "raw", "--nonblocking", "--output", out]
    spy = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield
    finally:
        spy.send_signal(signal.SIGINT)  # py-spy writes its file when interrupted
        spy.wait(timeout=60)
        progress(f"profile written to {out}")
