"""The simulator's answer for one cédula, as plain immutable values (no I/O)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class OutcomeKind(StrEnum):
    """Census answers (found, not_found, novedad) and the per-cédula failures of the data file."""

    FOUND = "found"
    NOT_FOUND = "not_found"
    NOVEDAD = "novedad"
    FIREWALL = "firewall"  # the POST gets the F5 firewall page
    UPSTREAM_TIMEOUT = "upstream_timeout"  # the "Curl error: Operation timed out" message
    RELOAD = "reload"  # {"success": false, "reload": true}
    HANG = "hang"  # the POST sleeps `hang_s`, then HTTP 504
    GET_ERROR = "get_error"  # the POST gets the same HTTP 500 page as a flaky GET
    CAPTCHA_REJECTED = "captcha_rejected"  # a valid captcha token is refused (and spent)
    CHANGED_PAGE = "changed_page"  # an answer in a format the worker does not know (a redesign)


class VotingPlace(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    departamento: str
    municipio: str
    puesto: str
    direccion: str
    mesa: str


class Novedad(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    novedad: str  # as the site shows it, upper-cased, e.g. "CANCELADA POR MUERTE"
    resolucion: str
    fecha: str  # dd/mm/yyyy

    @property
    def is_death(self) -> bool:
        return "MUERTE" in self.novedad.upper()


class Outcome(BaseModel):
    """The answer for one cédula; `place` only when found, `novedad` only for a novedad."""

    model_config = ConfigDict(frozen=True)

    cedula: str
    kind: OutcomeKind
    place: VotingPlace | None = None
    novedad: Novedad | None = None
