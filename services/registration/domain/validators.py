"""Validation and normalisation of what a person types. Each failure names the field in Spanish."""

from __future__ import annotations

import re
import unicodedata

from schemas.events import CEDULA_PATTERN, Role
from services.common.text import is_ascii_digits
from services.registration.domain.common_passwords import is_common_password
from services.registration.domain.errors import InvalidFields

MIN_PASSWORD, MAX_PASSWORD = 8, 128
MIN_NOMBRE, MAX_NOMBRE = 3, 200
MIN_GOAL, MAX_GOAL = 1, 10_000
MIN_CEDULA_IN_PASSWORD = 6  # shorter cédulas ("123") would refuse ordinary passwords
_NOMBRE = re.compile(r"[^\W\d_](?:[^\W\d_]|[ '’\-])*", re.UNICODE)
_PHONE_SEPARATORS = re.compile(r"[\s\-().]")
_MOBILE = re.compile(r"3[0-9]{9}")  # [0-9]: \d would take any script's digits
_LANDLINE = re.compile(r"60[1-8][0-9]{7}")  # since 2021: 60 + area digit + 7 digits


def normalise_cedula(raw: str) -> str:
    cedula = re.sub(r"[.\s]", "", raw or "")
    if not cedula:
        raise InvalidFields.one("cedula", "es obligatoria.")
    if not is_ascii_digits(cedula):
        raise InvalidFields.one(
            "cedula", "solo puede tener dígitos (se aceptan puntos y espacios)."
        )
    if not re.fullmatch(CEDULA_PATTERN, cedula):
        raise InvalidFields.one("cedula", "debe tener entre 3 y 10 dígitos y no empezar por cero.")
    return cedula


def normalise_nombre(raw: str) -> str:
    nombre = " ".join(unicodedata.normalize("NFC", raw or "").split())
    if len(nombre) < MIN_NOMBRE:
        raise InvalidFields.one("nombre", f"debe tener al menos {MIN_NOMBRE} caracteres.")
    if len(nombre) > MAX_NOMBRE:
        raise InvalidFields.one("nombre", f"no puede pasar de {MAX_NOMBRE} caracteres.")
    if not _NOMBRE.fullmatch(nombre):
        raise InvalidFields.one(
            "nombre", "solo puede tener letras (con tildes), espacios, apóstrofos y guiones."
        )
    return nombre


def normalise_telefono(raw: str) -> str:
    """A Colombian number as its 10 national digits (+57 or 57 in front is accepted and removed)."""
    phone = _PHONE_SEPARATORS.sub("", raw or "")
    if not phone:
        raise InvalidFields.one("telefono", "es obligatorio.")
    if phone.startswith("+57"):
        phone = phone[3:]
    elif phone.startswith("57") and len(phone) == 12:
        phone = phone[2:]
    if not is_ascii_digits(phone):
        raise InvalidFields.one("telefono", "solo puede tener dígitos, con +57 opcional al inicio.")
    if not (_MOBILE.fullmatch(phone) or _LANDLINE.fullmatch(phone)):
        raise InvalidFields.one(
            "telefono",
            "debe ser un celular colombiano de 10 dígitos que empiece por 3, "
            "o un fijo de 10 dígitos que empiece por 60 y el indicativo (p. ej. 6015551234).",
        )
    return phone


MAX_MENSAJE = 1000  # a claim's message, or why it was rejected
_LINE_BREAKS = "\n\r\t"


def free_text(raw: str, field: str, max_chars: int) -> str:
    """A message typed by a person: required, at most `max_chars`, printable characters and
    line breaks only (no control characters, which PostgreSQL or a page could choke on)."""
    text = unicodedata.normalize("NFC", raw or "").strip()
    if not text:
        raise InvalidFields.one(field, "es obligatorio.")
    if len(text) > max_chars:
        raise InvalidFields.one(field, f"no puede pasar de {max_chars} caracteres.")
    if not all(ch.isprintable() or ch in _LINE_BREAKS for ch in text):
        raise InvalidFields.one(field, "tiene caracteres que no se pueden guardar.")
    return text


def check_password(password: str, cedula: str, field: str = "password") -> None:
    if len(password or "") < MIN_PASSWORD:
        raise InvalidFields.one(field, f"debe tener al menos {MIN_PASSWORD} caracteres.")
    if len(password) > MAX_PASSWORD:
        raise InvalidFields.one(field, f"no puede pasar de {MAX_PASSWORD} caracteres.")
    if password.isdigit():  # any script's digits: a weak password either way, never int()
        raise InvalidFields.one(field, "no puede tener solo números.")
    if _contains_cedula(password, cedula):
        raise InvalidFields.one(field, "no puede ser ni contener la cédula.")
    if is_common_password(password):
        raise InvalidFields.one(field, "es demasiado común; elija otra.")


def _contains_cedula(password: str, cedula: str) -> bool:
    """Equal to the cédula, or containing it when it is long enough not to match by chance."""
    digits = re.sub(r"[.\s]", "", password)
    return bool(cedula) and (
        digits == cedula or (len(cedula) >= MIN_CEDULA_IN_PASSWORD and cedula in digits)
    )


def check_data_policy(accepted: bool) -> None:
    if accepted is not True:
        raise InvalidFields.one("data_policy_accepted", "debe aceptarla para registrarse.")


def check_referral_goal(goal: int) -> int:
    if not MIN_GOAL <= goal <= MAX_GOAL:
        raise InvalidFields.one("referral_goal", f"debe estar entre {MIN_GOAL} y 10.000.")
    return goal


def parse_role(raw: str) -> Role:
    try:
        return Role(raw.strip().upper())
    except (ValueError, AttributeError):
        raise InvalidFields.one("role", "debe ser USER, LEADER o ADMIN.") from None
