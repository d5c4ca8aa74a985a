"""One exception per kind of failure a caller must answer differently. Messages are Spanish:
they reach the user through the web service."""

from __future__ import annotations

from dataclasses import dataclass

# Spanish label of each input field, used in every message so the user knows which one to fix.
FIELD_LABELS = {
    "cedula": "Cédula",
    "nombre": "Nombre completo",
    "telefono": "Teléfono",
    "password": "Contraseña",
    "current_password": "Contraseña actual",
    "new_password": "Contraseña nueva",
    "data_policy_accepted": "Política de tratamiento de datos",
    "referral_code": "Código de referido",
    "referral_goal": "Meta de referidos",
    "role": "Rol",
    "user_id": "Usuario",
    "user_ids": "Usuarios",
    "reason": "Motivo",
    "disabled": "Estado de la cuenta",
    "token": "Enlace",
    "mensaje": "Mensaje",
    "claim_id": "Reclamo",
    "from_leader_id": "Líder de origen",
    "to_leader_id": "Líder de destino",
}


def label(field: str) -> str:
    return FIELD_LABELS.get(field, field)


class RegistrationError(Exception):
    """Base of the service's expected failures."""


@dataclass(frozen=True)
class FieldProblem:
    field: str
    message: str  # complete Spanish sentence that starts with the field's label


class InvalidFields(RegistrationError):
    """Input rejected by a validator: 422, nothing written."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems

    @classmethod
    def one(cls, field: str, why: str) -> InvalidFields:
        return cls([FieldProblem(field, f"{label(field)}: {why}")])


class CedulaAlreadyRegistered(RegistrationError):
    """409: the cédula belongs to an existing account."""


class NotPermitted(RegistrationError):
    """403, with no hint whether the target exists."""


class UserNotFound(RegistrationError):
    """404: only said to callers allowed to know (an ADMIN, or the user themselves)."""


class InvalidCredentials(RegistrationError):
    """401: unknown cédula or wrong password, indistinguishable on purpose."""


class UnknownActor(RegistrationError):
    """401: the acting user named by the web service does not exist."""


class AccountDisabled(RegistrationError):
    """403: the account was disabled by an administrator (told only after a right password)."""


class AccountDeleted(RegistrationError):
    """410: the account was deleted (its data erased); it can be neither changed nor revived."""


class ResetLinkInvalid(RegistrationError):
    """410: the reset link is unknown, expired, used or replaced; which one is never said."""


class ClaimNotFound(RegistrationError):
    """404: no such claim (said to ADMINs only: nobody else may resolve one)."""


class ClaimNotResolvable(RegistrationError):
    """409: the claim was decided already, or its account changed so the decision no longer
    fits; the message says which, in Spanish."""


class LastActiveAdmin(RegistrationError):
    """409: the change would leave the campaign without an active ADMIN."""


class Throttled(RegistrationError):
    """429: too many attempts; `retry_after_s` goes to the Retry-After header."""

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s
