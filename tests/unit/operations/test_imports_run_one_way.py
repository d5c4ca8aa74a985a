"""The operators' CLI sits on top: nothing imports it, and the Kafka tools under it import
neither the CLI nor the web service."""

from __future__ import annotations

import ast
from pathlib import Path

SERVICES = Path(__file__).resolve().parents[3] / "services"


def imported_by(package: Path) -> dict[str, set[str]]:
    modules: dict[str, set[str]] = {}
    for path in package.rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        modules[str(path.relative_to(SERVICES.parent))] = names
    return modules


def importing(modules: dict[str, set[str]], prefix: str) -> list[str]:
    return sorted(m for m, names in modules.items() if any(n.startswith(prefix) for n in names))


def test_nothing_below_the_operators_cli_imports_it() -> None:
    modules = imported_by(SERVICES)
    below = {m: n for m, n in modules.items() if not m.startswith("services/operations/")}
    assert importing(below, "services.operations") == ["services/cli.py"]


def test_kafka_admin_imports_neither_web_nor_the_cli() -> None:
    modules = imported_by(SERVICES / "kafka_admin")
    assert importing(modules, "services.web") == []
    assert importing(modules, "services.operations") == []
