"""What the simulated census says for a cédula: the data file first, then the deterministic rule.

`outcome_for(cedula)` is the one question other tests ask ("what will the simulator answer?").
Cédulas listed in `data/census.json` (or in `SIM_DATA_FILE`) get their listed outcome, error kinds
included; any other cédula gets `rule.generated_outcome`, documented there.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, TypeAdapter

from .outcome import Novedad, Outcome, OutcomeKind, VotingPlace
from .rule import generated_outcome


class _FoundEntry(VotingPlace):
    kind: Literal["found"]


class _NovedadEntry(Novedad):
    kind: Literal["novedad"]


class _OtherEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: OutcomeKind


_Entry = _FoundEntry | _NovedadEntry | _OtherEntry
_ENTRIES = TypeAdapter(dict[str, _Entry])


def _to_outcome(cedula: str, entry: _Entry) -> Outcome:
    fields = entry.model_dump(exclude={"kind"})
    if isinstance(entry, _FoundEntry):
        return Outcome(cedula=cedula, kind=OutcomeKind.FOUND, place=VotingPlace(**fields))
    if isinstance(entry, _NovedadEntry):
        return Outcome(cedula=cedula, kind=OutcomeKind.NOVEDAD, novedad=Novedad(**fields))
    if entry.kind in (OutcomeKind.FOUND, OutcomeKind.NOVEDAD):
        raise ValueError(f"census entry {cedula}: kind {entry.kind} needs its fields")
    return Outcome(cedula=cedula, kind=entry.kind)


class Census:
    """The listed cédulas of one data file, with the deterministic rule for all others."""

    def __init__(self, listed: Mapping[str, Outcome]) -> None:
        self.listed = dict(listed)

    @classmethod
    def parse(cls, text: str) -> Census:
        """Parse `{"cedulas": {"<cédula>": {"kind": ..., ...}}}`; other top-level keys are notes."""
        entries = _ENTRIES.validate_python(json.loads(text)["cedulas"])
        return cls({cedula: _to_outcome(cedula, entry) for cedula, entry in entries.items()})

    @classmethod
    def load(cls, data_file: Path | None = None) -> Census:
        """Read `data_file`, or the packaged data/census.json when None."""
        if data_file is not None:
            return cls.parse(Path(data_file).read_text(encoding="utf-8"))
        packaged = resources.files(__package__).joinpath("data", "census.json")
        return cls.parse(packaged.read_text(encoding="utf-8"))

    def outcome_for(self, cedula: str) -> Outcome:
        return self.listed.get(cedula) or generated_outcome(cedula)


@lru_cache(maxsize=8)
def _census(data_file: Path | None) -> Census:
    return Census.load(data_file)


def outcome_for(cedula: str, data_file: Path | None = None) -> Outcome:
    """What the simulator answers for `cedula` (digits only), with the packaged data by default."""
    return _census(data_file).outcome_for(cedula)
