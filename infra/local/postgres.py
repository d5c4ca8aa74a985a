"""A PostgreSQL cluster owned by the project, from Debian's packages.

initdb runs once under the state folder; the server listens on 127.0.0.1 only, on its own port.
PostgreSQL refuses to run as root, so as root the commands run as the `postgres` system user.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

_Sink = int | IO[bytes] | None  # what subprocess accepts for stdout and stderr


SUPERUSER = "censo"


def bin_dir() -> Path:
    """The server binaries: PG_BIN_DIR, else the PATH, else Debian's newest versioned folder."""
    if configured := os.environ.get("PG_BIN_DIR"):
        return Path(configured)
    if found := shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
    )
    if not candidates:
        raise FileNotFoundError("PostgreSQL server binaries not found; install Debian's postgresql")
    return Path(candidates[-1])


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@dataclass(frozen=True)
class PostgresCluster:
    data_dir: Path
    port: int = 5433
    durable: bool = True  # test clusters turn fsync off: faster, and they are thrown away
    settings: dict[str, str] = field(default_factory=dict)

    def url(self, database: str, driver: str = "postgresql+asyncpg") -> str:
        return f"{driver}://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def prepare(self) -> None:
        """initdb on first start (idempotent)."""
        if (self.data_dir / "PG_VERSION").exists():
            return
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.data_dir, "postgres", "postgres")
        subprocess.run(
            _as_server_user(
                [
                    str(bin_dir() / "initdb"),
                    "-D",
                    str(self.data_dir),
                    "-U",
                    SUPERUSER,
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def server_command(self) -> list[str]:
        options = {
            "listen_addresses": "127.0.0.1",
            "port": str(self.port),
            "unix_socket_directories": "",
            "max_connections": "200",
            "shared_buffers": "256MB",
            **(
                {}
                if self.durable
                else {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}
            ),
            **self.settings,
        }
        args = [arg for key, value in options.items() for arg in ("-c", f"{key}={value}")]
        return _as_server_user([str(bin_dir() / "postgres"), "-D", str(self.data_dir), *args])

    def popen(self, stdout: _Sink = None, stderr: _Sink = None) -> subprocess.Popen[bytes]:
        self.prepare()
        return subprocess.Popen(self.server_command(), stdout=stdout, stderr=stderr)

    def wait_ready(self, timeout_s: float = 30.0) -> None:
        deadline = time.monotonic() + timeout_s
        while (
            subprocess.run(
                [str(bin_dir() / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-q"],
                check=False,
            ).returncode
            != 0
        ):
            if time.monotonic() > deadline:
                raise TimeoutError(f"PostgreSQL on port {self.port} not ready in {timeout_s:.0f} s")
            time.sleep(0.1)

    def create_database(self, name: str) -> bool:
        """Create `name` unless it exists; True when it was created."""
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", name):
            raise ValueError(f"not a plain database name: {name!r}")
        psql = [
            str(bin_dir() / "psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            SUPERUSER,
            "-d",
            "postgres",
            "-tAc",
        ]
        exists = subprocess.run(
            [*psql, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        if exists:
            return False
        subprocess.run([*psql, f'CREATE DATABASE "{name}"'], check=True, capture_output=True)
        return True
