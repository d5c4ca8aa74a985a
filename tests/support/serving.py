"""ASGI apps behind a real uvicorn server on a port the OS picks, for tests that need real HTTP
(live streams, browsers, fuzzers calling synchronously): in the test's event loop or in a thread."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import uvicorn


@asynccontextmanager
async def serving(app: Any, startup_timeout_s: float = 20.0, **config: Any) -> AsyncIterator[str]:
    """Serve `app` in this event loop; yields its base URL. `config` goes to uvicorn.Config."""
    sock = _bound_socket()
    server = uvicorn.Server(uvicorn.Config(app, **config))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        async with asyncio.timeout(startup_timeout_s):
            while not server.started:
                if task.done():
                    await task  # its error
                    raise RuntimeError("the server stopped while starting")
                await asyncio.sleep(0.02)
        yield _url(sock)
    finally:
        server.should_exit = True
        await task
        sock.close()


@contextmanager
def serving_in_thread(app: Any, startup_timeout_s: float = 10.0, **config: Any) -> Iterator[str]:
    """Serve `app` with its own event loop in a thread, for callers that block; yields its base
    URL. `config` goes to uvicorn.Config."""
    sock = _bound_socket()
    server = uvicorn.Server(uvicorn.Config(app, **config))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout_s
    try:
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.01)
        yield _url(sock)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


def _bound_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def _url(sock: socket.socket) -> str:
    return f"http://127.0.0.1:{sock.getsockname()[1]}"
