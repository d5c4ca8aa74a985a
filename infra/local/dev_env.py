"""The development environment file used by `make run`: simulator URLs and fresh random secrets.

Written once under the state folder (git-ignored); secrets are generated here, never committed.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from infra.local.paths import state_dir
from infra.local.postgres import PostgresCluster
from infra.local.settings import LocalInfraSettings

SIMULATOR = "http://127.0.0.1:8700"


def dev_settings() -> dict[str, str]:
    return {
        "CENSUS_WSP_URL": f"{SIMULATOR}/censo/consultar/",
        "CENSUS_CAPTCHA_BASE_URL": SIMULATOR,
        "CENSUS_CAPTCHA_API_KEY": "simulator",
        "CENSUS_CAPTCHA_POLL_INTERVAL_S": "0.2",
        "WORKER_DATABASE_URL": PostgresCluster(
            state_dir() / "postgres", LocalInfraSettings().postgres_port
        ).url("census_worker"),
        "WEB_API_TOKEN": secrets.token_urlsafe(24),
        "REGISTRATION_SERVICE_TOKEN": secrets.token_urlsafe(24),
        "WEB_SESSION_SECRET": secrets.token_urlsafe(32),
        "PYTHONUNBUFFERED": "1",
    }


def ensure_dev_env(path: Path | None = None) -> Path:
    """Create the file with every missing setting; values already there are kept."""
    path = path or state_dir() / "dev.env"
    path.parent.mkdir(parents=True, exist_ok=True)
    existing = read_env(path)
    missing = {k: v for k, v in dev_settings().items() if k not in existing}
    if missing:
        # Created readable by its owner only from the first byte: it holds the secrets.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(descriptor, "a") as handle:
            handle.writelines(f"{key}={value}\n" for key, value in missing.items())
    path.chmod(0o600)  # and an older file, made before this rule, is narrowed too
    return path


def read_env(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    lines = (line.strip() for line in path.read_text().splitlines())
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
