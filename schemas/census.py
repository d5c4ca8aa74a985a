"""Census vocabulary shared by the worker (which produces it) and the web (which shows it)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class CensusStatus(StrEnum):
    """The nine statuses of the system this project replaces."""

    PENDING = "PENDING"
    PROCESSING = "PROCESSING"
    ACTIVE = "ACTIVE"
    NOT_FOUND = "NOT_FOUND"
    CANCELLED_DECEASED = "CANCELLED_DECEASED"
    CANCELLED_OTHER = "CANCELLED_OTHER"
    ERROR = "ERROR"
    TIMEOUT = "TIMEOUT"
    BLOCKED = "BLOCKED"

    @property
    def is_final(self) -> bool:
        """Found, not found and cancelled answers are final; failures may be retried."""
        return self in FINAL_STATUSES

    @property
    def is_failure(self) -> bool:
        return self in FAILURE_STATUSES


FINAL_STATUSES = frozenset(
    {
        CensusStatus.ACTIVE,
        CensusStatus.NOT_FOUND,
        CensusStatus.CANCELLED_DECEASED,
        CensusStatus.CANCELLED_OTHER,
    }
)
FAILURE_STATUSES = frozenset({CensusStatus.ERROR, CensusStatus.TIMEOUT, CensusStatus.BLOCKED})


class VotingPlace(BaseModel):
    """Where a citizen votes, as the Registraduría shows it."""

    model_config = ConfigDict(frozen=True)

    departamento: str = Field(max_length=200)
    municipio: str = Field(max_length=200)
    puesto: str = Field(max_length=300)
    direccion: str = Field(max_length=300)
    mesa: str = Field(max_length=20)


class Novedad(BaseModel):
    """A change to the cédula's status recorded by the Registraduría (e.g. cancelled by death)."""

    model_config = ConfigDict(frozen=True)

    novedad: str = Field(max_length=300)
    resolucion: str | None = Field(default=None, max_length=100)
    fecha: str | None = Field(default=None, max_length=50)
