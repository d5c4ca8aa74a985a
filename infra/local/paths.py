"""Where the project keeps local state (git-ignored) and its infra files."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
KAFKA_POM_DIR = PROJECT_ROOT / "infra" / "kafka"
KAFKA_LIB_DIR = KAFKA_POM_DIR / "target" / "lib"


def state_dir() -> Path:
    """The git-ignored folder with Kafka's log dirs and the PostgreSQL cluster."""
    return Path(os.environ.get("CENSO_STATE_DIR", PROJECT_ROOT / ".local"))
