"""The state of one simulator: settings, census, sessions, captcha solver and fault dice."""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from typing import Any

from litestar import Request

from .captcha import CaptchaSolver
from .census import Census
from .page_weight import page_context
from .request_log import RequestLog
from .sessions import Sessions
from .settings import SimulatorSettings
from .store import Clock


@dataclass
class Simulator:
    settings: SimulatorSettings
    census: Census
    sessions: Sessions
    solver: CaptchaSolver
    rng: random.Random
    request_log: RequestLog | None = None

    @classmethod
    def build(cls, settings: SimulatorSettings, clock: Clock = time.monotonic) -> Simulator:
        """Load the census data (the only I/O) and create empty in-memory stores."""
        rng = random.Random(settings.seed)
        return cls(
            settings=settings,
            census=Census.load(settings.data_file),
            sessions=Sessions(settings.session_ttl_s, settings.max_entries, clock),
            solver=CaptchaSolver(settings, rng, clock),
            rng=rng,
            request_log=RequestLog(settings.consultacenso_prefix) if settings.request_log else None,
        )

    def roll(self, rate: float) -> bool:
        """True with probability `rate` (never at 0, always at 1)."""
        return rate > 0 and self.rng.random() < rate

    def page_context(self, request: Request[Any, Any, Any]) -> dict[str, Any]:
        """What a page template needs for the configured page weight."""
        real = self.settings.page_weight == "real"
        return page_context(real, self.settings.third_party_host, request)

    async def pause(self) -> None:
        if self.settings.latency_ms:
            await asyncio.sleep(self.settings.latency_ms / 1000)
