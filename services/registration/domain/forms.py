"""Whole forms validated at once, so the user sees every problem in one answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from services.registration.domain import validators as v
from services.registration.domain.commands import EditUser, FileClaim, RegisterUser, UpdateProfile
from services.registration.domain.errors import FieldProblem, InvalidFields

T = TypeVar("T")


class _Problems:
    def __init__(self) -> None:
        self.found: list[FieldProblem] = []

    def attempt(self, check: Callable[[], T]) -> T | None:
        try:
            return check()
        except InvalidFields as exc:
            self.found.extend(exc.problems)
            return None

    def raise_any(self) -> None:
        if self.found:
            raise InvalidFields(self.found)


@dataclass(frozen=True)
class ValidRegistration:
    cedula: str
    nombre: str
    telefono: str


def validate_registration(cmd: RegisterUser) -> ValidRegistration:
    problems = _Problems()
    cedula = problems.attempt(lambda: v.normalise_cedula(cmd.cedula))
    nombre = problems.attempt(lambda: v.normalise_nombre(cmd.nombre))
    telefono = problems.attempt(lambda: v.normalise_telefono(cmd.telefono))
    problems.attempt(lambda: v.check_password(cmd.password, cedula or ""))
    problems.attempt(lambda: v.check_data_policy(cmd.data_policy_accepted))
    problems.raise_any()
    assert cedula and nombre and telefono  # each is None only after a problem, raised above
    return ValidRegistration(cedula, nombre, telefono)


def validate_profile_changes(cmd: UpdateProfile) -> dict[str, object]:
    """Only the fields the caller sent, normalised."""
    problems, changes = _Problems(), dict[str, object]()
    if cmd.nombre is not None:
        changes["nombre"] = problems.attempt(lambda: v.normalise_nombre(cmd.nombre or ""))
    if cmd.telefono is not None:
        changes["telefono"] = problems.attempt(lambda: v.normalise_telefono(cmd.telefono or ""))
    if cmd.referral_goal is not None:
        changes["referral_goal"] = problems.attempt(
            lambda: v.check_referral_goal(cmd.referral_goal or 0)
        )
    problems.raise_any()
    return changes


@dataclass(frozen=True)
class ValidClaim:
    cedula: str
    nombre: str
    telefono: str
    mensaje: str


def validate_claim(cmd: FileClaim) -> ValidClaim:
    problems = _Problems()
    cedula = problems.attempt(lambda: v.normalise_cedula(cmd.cedula))
    nombre = problems.attempt(lambda: v.normalise_nombre(cmd.nombre))
    telefono = problems.attempt(lambda: v.normalise_telefono(cmd.telefono))
    mensaje = problems.attempt(lambda: v.free_text(cmd.mensaje, "mensaje", v.MAX_MENSAJE))
    problems.raise_any()
    assert cedula and nombre and telefono and mensaje  # None only after a problem, raised above
    return ValidClaim(cedula, nombre, telefono, mensaje)


def validate_admin_edit(cmd: EditUser) -> dict[str, object]:
    """An ADMIN's edit: the profile's fields plus the cédula, only those sent, normalised."""
    problems = _Problems()
    profile = UpdateProfile(cmd.user_id, cmd.nombre, cmd.telefono, cmd.referral_goal)
    changes = problems.attempt(lambda: validate_profile_changes(profile)) or {}
    if cmd.cedula is not None:
        changes["cedula"] = problems.attempt(lambda: v.normalise_cedula(cmd.cedula or ""))
    problems.raise_any()
    return changes
