"""The batch applier's plan: writes of one row keep their order, the others run together."""

from __future__ import annotations

from typing import get_args

from schemas.events import CensusCapacityReported
from services.web.projection.batch import levels, plan
from services.web.projection.handlers import HANDLERS, ProjectedEvent
from services.web.projection.row_writes import ANSWERED, HISTORY, NEW_STATUS, NEW_USER, STARTED
from services.web.projection.writes import Op


def test_writes_of_distinct_rows_share_the_first_level() -> None:
    assert levels([["a"], ["b"], ["c"]]) == [1, 1, 1]


def test_each_write_of_a_row_comes_one_level_after_the_previous_one() -> None:
    assert levels([["a"], ["b"], ["a"], ["a"], ["b"]]) == [1, 1, 2, 3, 2]


def test_a_write_touching_two_rows_waits_for_both() -> None:
    assert levels([["a"], ["a"], ["b"], ["a", "b"], ["b"]]) == [1, 2, 1, 3, 4]


def test_the_plan_runs_one_statement_per_kind_and_level_in_event_order() -> None:
    def op(write, cedula):  # type: ignore[no-untyped-def]
        return Op(write, {"cedula": cedula}, (("census_status", cedula),))

    ops = [
        Op(NEW_USER, {"n": 1}, (("users", 1),)),
        op(NEW_STATUS, "1"),
        op(NEW_STATUS, "2"),
        op(STARTED, "1"),
        Op(HISTORY, {"n": 2}, (("census_history", "e1"),)),
        op(ANSWERED, "1"),
        op(STARTED, "2"),
    ]
    steps = [(write, [o.row for o in group]) for write, group in plan(ops)]
    assert steps == [
        (NEW_USER, [{"n": 1}]),
        (NEW_STATUS, [{"cedula": "1"}, {"cedula": "2"}]),
        (HISTORY, [{"n": 2}]),
        (STARTED, [{"cedula": "1"}, {"cedula": "2"}]),
        (ANSWERED, [{"cedula": "1"}]),
    ]


def test_every_event_with_a_handler_tells_the_web_processes_of_its_change() -> None:
    """The projector notifies for `ProjectedEvent`s: exactly the events the handlers project
    about a person. The capacity reports name nobody: Operación polls for them."""
    assert set(get_args(ProjectedEvent)) == set(HANDLERS) - {CensusCapacityReported}
