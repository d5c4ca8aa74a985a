"""A status write the next write of the same cédula and request overwrites whole never reaches
PostgreSQL; every other write does, in order."""

from __future__ import annotations

from uuid import UUID, uuid4

from services.web.projection.overwritten import without_overwritten
from services.web.projection.row_writes import (
    ANSWERED,
    FAILED,
    HISTORY,
    NEW_STATUS,
    REQUESTED,
    RESULT,
    STARTED,
)
from services.web.projection.writes import Op, Write

USER, REQUEST = uuid4(), uuid4()


def step(write: Write, cedula: str = "1001", request: UUID = REQUEST, user: UUID = USER) -> Op:
    row = {"cedula": cedula, "user_id": user, "request_id": request}
    return Op(write, row, (("census_status", cedula),))


def test_a_started_then_answered_request_reaches_the_database_as_its_answer() -> None:
    answered = step(ANSWERED)
    assert without_overwritten([step(NEW_STATUS), step(STARTED), answered]) == [answered]


def test_a_failure_and_the_retry_leave_only_the_retry_s_outcome() -> None:
    retried = [step(STARTED), step(FAILED), step(STARTED), step(ANSWERED), step(RESULT)]
    assert [op.write for op in without_overwritten(retried)] == [ANSWERED, RESULT]


def test_a_started_after_an_answer_is_kept_since_it_may_not_apply() -> None:
    ops = [step(ANSWERED), step(STARTED)]
    assert without_overwritten(ops) == ops


def test_writes_of_another_request_user_or_cedula_are_all_kept() -> None:
    ops = [
        step(REQUESTED),
        step(STARTED, request=uuid4()),
        step(ANSWERED, user=uuid4()),
        step(STARTED, cedula="1002"),
    ]
    assert without_overwritten(ops) == ops


def test_a_write_of_another_kind_in_between_keeps_both() -> None:
    history = Op(HISTORY, {"event_id": 1}, (("census_history", 1),))
    ops = [step(STARTED), step(RESULT), step(ANSWERED), history]
    assert without_overwritten(ops) == ops
