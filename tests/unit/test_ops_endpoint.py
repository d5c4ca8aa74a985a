"""The operations endpoint of the worker and the relay: a port taken by another process is one
clear error naming the fix, and ready only when every part says `ok`."""

from __future__ import annotations

import socket

import pytest
from prometheus_client import CollectorRegistry

from services.common.ops_http import OpsEndpointUnavailable, Readiness, serving_ops


def test_a_second_process_on_the_same_port_is_told_to_take_another_or_zero() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with (
            pytest.raises(OpsEndpointUnavailable, match="a port of its own, or 0"),
            serving_ops(CollectorRegistry(), Readiness(), "127.0.0.1", port, "relay"),
        ):
            pass


def test_ready_only_when_every_part_is_ok() -> None:
    readiness = Readiness(database="ok", kafka="starting")
    assert readiness.report() == (False, {"database": "ok", "kafka": "starting"})
    readiness.set("kafka", "ok")
    assert readiness.report()[0]
    assert not Readiness().report()[0]  # nothing said yet: not ready
