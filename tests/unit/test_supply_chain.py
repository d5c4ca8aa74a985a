"""What is installed is what was pinned: every lock line carries hashes, installs require them,
and the local secrets file is never readable by others, not even for a moment."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest

from infra.local import dev_env

ROOT = Path(__file__).resolve().parents[2]
LOCKS = ("requirements-uv.lock", "requirements.lock", "requirements-dev.lock")
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==\S+ \\$")


@pytest.mark.parametrize("name", LOCKS)
def test_every_pin_of_a_lock_carries_its_hashes(name: str) -> None:
    lines = (ROOT / name).read_text().splitlines()
    pins = [i for i, line in enumerate(lines) if PIN.match(line)]
    assert pins, f"{name} pins nothing"
    for index in pins:
        assert lines[index + 1].strip().startswith("--hash=sha256:"), lines[index]
    assert not any(re.search(r"https?://|--index-url|--extra-index-url", x) for x in lines)


def test_installs_refuse_what_has_no_matching_hash() -> None:
    script = (ROOT / "infra/bin/install-python").read_text()  # make install's and the image's
    assert "infra/bin/install-python $(VENV)" in (ROOT / "Makefile").read_text()
    assert "--require-hashes -r requirements-uv.lock" in script
    assert "pip sync -q --require-hashes" in script


def test_the_dev_env_file_is_created_for_its_owner_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    modes: list[int] = []
    real_open = os.open

    def watching_open(path, flags, mode=0o777, *args, **kwargs):  # type: ignore[no-untyped-def]
        modes.append(mode)
        return real_open(path, flags, mode, *args, **kwargs)

    monkeypatch.setattr(dev_env, "dev_settings", lambda: {"WEB_SESSION_SECRET": "s3cr3t"})
    monkeypatch.setattr(dev_env.os, "open", watching_open)
    old_umask = os.umask(0o022)
    try:
        path = dev_env.ensure_dev_env(tmp_path / "dev.env")
    finally:
        os.umask(old_umask)
    assert modes == [0o600]  # created with the narrow mode, not narrowed afterwards
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "WEB_SESSION_SECRET=s3cr3t" in path.read_text()


def test_an_older_dev_env_file_is_narrowed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "dev.env"
    path.write_text("WEB_SESSION_SECRET=old\n")
    path.chmod(0o644)
    monkeypatch.setattr(dev_env, "dev_settings", lambda: {"WEB_SESSION_SECRET": "new"})
    dev_env.ensure_dev_env(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text() == "WEB_SESSION_SECRET=old\n"  # values already there are kept
