"""Fakes for failed records: a database refusal as asyncpg's adapter raises it, and pauses that are
counted instead of slept."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError


class RefusedByPostgres(Exception):
    """What asyncpg's adapter raises: a SQLSTATE, and the driver's message with the value."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__("invalid byte sequence: value 1102812122\x00")
        self.sqlstate = sqlstate


def database_error(sqlstate: str) -> DBAPIError:
    return DBAPIError("INSERT …", {"cedula": "1102812122"}, RefusedByPostgres(sqlstate))


class Pauses:
    def __init__(self) -> None:
        self.taken: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.taken.append(seconds)
