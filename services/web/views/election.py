"""The election calendar in Spanish: the days left as Inicio shows them, and the admin's form
values read strictly (a bad date or number is a Spanish field error, never an exception)."""

from __future__ import annotations

import re
from datetime import date

from services.common.text import ascii_number
from services.web.views.formatting import number

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # what <input type="date"> sends
MAX_YEARS_AHEAD = 10
MAX_DAYS_BEFORE = 365

DATE_FORMAT = "Fecha de las elecciones: use el formato AAAA-MM-DD (por ejemplo 2026-03-08)."
DATE_MISSING = "Fecha de las elecciones: ese día no existe en el calendario."
DATE_PAST = "Fecha de las elecciones: no puede ser anterior a hoy."
DATE_FAR = f"Fecha de las elecciones: debe estar dentro de los próximos {MAX_YEARS_AHEAD} años."
DAYS_FORMAT = f"Días antes: escriba un número entero de 0 a {MAX_DAYS_BEFORE}."
NO_ELECTION = "Primero fije la fecha de las elecciones."


class FieldError(ValueError):
    """A value the form refuses, with the Spanish sentence shown next to the field."""


def countdown(election_day: date | None, today: date) -> str | None:
    """«Faltan 15 días para las elecciones»; None while no date is set."""
    if election_day is None:
        return None
    days = (election_day - today).days
    if days > 1:
        return f"Faltan {number(days)} días para las elecciones"
    if days == 1:
        return "Falta 1 día para las elecciones: son mañana"
    if days == 0:
        return "Hoy son las elecciones"
    return f"Las elecciones fueron el {election_day:%d/%m/%Y}"


def parse_election_date(text: str, today: date) -> date:
    if not ISO_DATE.fullmatch(text):
        raise FieldError(DATE_FORMAT)
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise FieldError(DATE_MISSING) from None
    if day < today:
        raise FieldError(DATE_PAST)
    if day.year > today.year + MAX_YEARS_AHEAD:
        raise FieldError(DATE_FAR)
    return day


def parse_days_before(text: str, election_day: date | None, today: date) -> int:
    """Days before the election a revalidation runs; its day must not have passed already."""
    days = ascii_number(text, 3)
    if days is None or days > MAX_DAYS_BEFORE:
        raise FieldError(DAYS_FORMAT)
    if election_day is None:
        raise FieldError(NO_ELECTION)
    left = (election_day - today).days
    if days > left:
        raise FieldError(f"Días antes: ese día ya pasó (faltan {number(max(left, 0))} días).")
    return days
