"""Every log the suites' service processes write is read at the end of the session: no line may
hold a full cédula next to a name that says it is one, nor a statement's parameters."""

from __future__ import annotations

import re
from pathlib import Path

WRITTEN: list[Path] = []  # each service process's log file, as it starts
# `cedula=1102812122`, `"cedula": "1102812122"`, `nuip=…`, `busqueda=…`: a value a masked one
# (`*******122`) never matches.
_NAMED_CEDULA = re.compile(
    r"(?i)(c[eé]dula|nuip|documento|busqueda)\W{1,4}([1-9][0-9]{5,9})(?![0-9])"
)
_PARAMETERS = "[parameters:"


def findings(paths: list[Path]) -> list[str]:
    """`file:line: what` for every line that leaks, the value itself masked in the finding."""
    found = []
    for path in dict.fromkeys(paths):
        if not path.exists():
            continue
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            if (match := _NAMED_CEDULA.search(line)) is not None:
                found.append(f"{path.name}:{number}: a full cédula after '{match[1]}'")
            if _PARAMETERS in line:
                found.append(f"{path.name}:{number}: a statement's parameters")
    return found
