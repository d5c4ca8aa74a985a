"""`python -m infra.registraduria_sim`: serve the simulator on SIM_HOST:SIM_PORT."""

from __future__ import annotations

import uvicorn

from .app import create_app
from .settings import SimulatorSettings


def main() -> None:
    settings = SimulatorSettings()
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port)


if __name__ == "__main__":
    main()
