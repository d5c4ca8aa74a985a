"""The Containerfile stays consistent with `make install`: no container engine builds it here, so
these checks stand in for a build (the Python version, the install script and lock, Debian's
Chromium where the settings expect it, the `censo` entry point, a user other than root)."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

from services.census_worker.lookup.settings import LookupSettings

ROOT = Path(__file__).resolve().parents[3]
CONTAINERFILE = (ROOT / "Containerfile").read_text(encoding="utf-8")
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def instructions(name: str) -> list[str]:
    """The arguments of every `name` instruction, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", CONTAINERFILE)
    lines = (line.strip() for line in text.splitlines())
    return [line[len(name) + 1 :] for line in lines if line.startswith(f"{name} ")]


def runs_of(script: str) -> list[list[str]]:
    """The command lines (split into words) of the RUN instructions that call `script`."""
    commands = (part for run in instructions("RUN") for part in re.split(r"&&|;", run))
    return [shlex.split(part) for part in commands if script in part]


def makefile_install_recipe() -> list[list[str]]:
    recipe = MAKEFILE.split("$(VENV)/.installed:", 1)[1].split("\n\n", 1)[0]
    lines = [line.strip() for line in recipe.splitlines()[1:] if line.startswith("\t")]
    return [shlex.split(line) for line in lines]


def test_the_image_has_the_python_version_the_project_is_checked_with() -> None:
    (base,) = instructions("FROM")
    version = re.fullmatch(r"python:(\d+\.\d+)-slim-(\w+)", base)
    assert version, f"FROM {base}: expected the official python:X.Y-slim-<debian> image"
    assert version[1] == PYPROJECT["tool"]["mypy"]["python_version"]
    assert PYPROJECT["project"]["requires-python"] == f">={version[1]}"


def test_make_install_and_the_image_run_one_install_script() -> None:
    (development,) = [c for c in makefile_install_recipe() if "infra/bin/install-python" in c]
    (image,) = runs_of("infra/bin/install-python")
    assert development[2:] == ["requirements-dev.lock", "--editable"]
    assert image[2:] == ["requirements.lock"]  # runtime pins only, installed as a package


def test_the_image_installs_the_runtime_lock_with_no_extras() -> None:
    lock_recipe = MAKEFILE.split("\nlock:", 1)[1].split("\n\n", 1)[0]
    (runtime,) = [line for line in lock_recipe.splitlines() if "-o requirements.lock" in line]
    assert "--extra" not in runtime  # `local` and `dev` are never a service's dependencies
    assert "requirements-dev.lock" not in CONTAINERFILE
    script = (ROOT / "infra/bin/install-python").read_text(encoding="utf-8")
    assert "--require-hashes" in script and "requirements-uv.lock" in script


def test_every_file_the_image_copies_exists() -> None:
    for copy in instructions("COPY"):
        *sources, _ = shlex.split(copy)
        for source in sources:
            assert (ROOT / source).exists(), f"COPY {source}: no such file"


def test_chromium_comes_from_debian_where_the_settings_look_for_it() -> None:
    (system,) = runs_of("infra/bin/install-system-packages")
    assert system[1:] == ["--runtime"]
    script = (ROOT / "infra/bin/install-system-packages").read_text(encoding="utf-8")
    runtime = script.split("declare -A wanted=(", 1)[1].split(")", 1)[0]
    assert "[chromium]=chromium" in runtime  # Debian's package, installed as /usr/bin/chromium
    assert LookupSettings.model_fields["chromium_path"].default == "/usr/bin/chromium"


def test_the_entry_point_is_censo_run_by_a_user_other_than_root() -> None:
    assert instructions("ENTRYPOINT") == ['["censo"]']
    assert PYPROJECT["project"]["scripts"]["censo"] == "services.cli:main"
    users = instructions("USER")
    assert users and users[-1] not in ("root", "0")
    last_user = CONTAINERFILE.rindex("\nUSER ")
    assert "\nRUN " not in CONTAINERFILE[last_user:]  # nothing after it needs root
