"""Dates, durations and numbers the Colombian way (Bogotá time, 24 h clock, dot thousands)."""

from __future__ import annotations

from datetime import datetime, timedelta

from schemas.personal import is_erased_cedula
from services.common.text import ascii_number
from services.web.clock import BOGOTA


def _in_bogota(moment: datetime | None, pattern: str) -> str:
    return moment.astimezone(BOGOTA).strftime(pattern) if moment else "—"


def date_time(moment: datetime | None) -> str:
    """28/11/2026 10:15 (Bogotá), or a dash."""
    return _in_bogota(moment, "%d/%m/%Y %H:%M")


def date_only(moment: datetime | None) -> str:
    return _in_bogota(moment, "%d/%m/%Y")


def duration(span: timedelta) -> str:
    """2 d 3 h, 1 h 5 min, 12 min, 40 s: the two largest units that matter."""
    seconds = max(int(span.total_seconds()), 0)
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min"
    return f"{secs} s"


def number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def cedula(value: str) -> str:
    """1.102.812.122: how cédulas are written on the card; a dash for a deleted account's."""
    if is_erased_cedula(value):
        return "—"
    digits = ascii_number(value, 10)
    return number(digits) if digits is not None else value


def telefono(value: str) -> str:
    """300 123 4567 for a mobile, 601 555 1234 for a landline."""
    return f"{value[:3]} {value[3:6]} {value[6:]}" if len(value) == 10 else value
