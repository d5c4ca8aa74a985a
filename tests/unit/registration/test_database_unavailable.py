"""A database that cannot be reached is a 503 in Spanish, never a bare 500."""

from __future__ import annotations

from unittest.mock import MagicMock

from sqlalchemy import exc as sa

from services.registration.entrypoints.errors import DATABASE_DOWN, database_error


def test_refused_connection_is_503_in_spanish_with_retry_after() -> None:
    response = database_error(MagicMock(), ConnectionRefusedError(111, "refused"))
    assert response.status_code == 503
    assert response.content["detail"] == DATABASE_DOWN
    assert response.headers["Retry-After"]


def test_connection_cut_mid_query_is_503() -> None:
    cut = sa.DBAPIError("SELECT 1", {}, Exception("closed"), connection_invalidated=True)
    assert database_error(MagicMock(), cut).status_code == 503


def test_other_database_errors_stay_500() -> None:
    broken = sa.ProgrammingError("SELECT nope", {}, Exception("syntax error"))
    assert database_error(MagicMock(), broken).status_code == 500
