"""The Registraduría simulator served by uvicorn in a thread, on a port the OS picks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from infra.registraduria_sim import SimulatorSettings, create_app
from tests.support.serving import serving_in_thread


@contextmanager
def serving_simulator(settings: SimulatorSettings) -> Iterator[str]:
    """Serve a fresh simulator; yields its base URL (`http://127.0.0.1:<port>`)."""
    app = create_app(settings)
    with serving_in_thread(
        app, log_level="warning", lifespan="off", timeout_graceful_shutdown=1
    ) as url:
        yield url
