"""`python -m infra.registraduria_sim`: serve the simulator on SIM_HOST:SIM_PORT."""

from __future__ import annotations

from typing import Any

import uvicorn
from uvicorn.config import LOGGING_CONFIG

from .app import create_app
from .settings import SimulatorSettings


def main(log_config: dict[str, Any] | None = LOGGING_CONFIG) -> None:
    """`log_config` None leaves logging as the caller configured it (`censo infra simulator`)."""
    settings = SimulatorSettings()
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_config=log_config)


if __name__ == "__main__":
    main()
