"""What the flow sampler keeps each minute: every group's lag over all its topics, and the
lookups waiting in each census lane whose lag is known."""

from __future__ import annotations

from schemas import topics
from services.web.adapters.event_flow import FlowOverview, GroupSummary
from services.web.adapters.flow_sampler import series


def group(name: str, topic: str, lag: int) -> GroupSummary:
    return GroupSummary(group=name, state="Stable", topic=topic, partitions=3, lag=lag)


def test_lag_per_group_and_lookups_waiting_per_lane() -> None:
    overview = FlowOverview(
        topics=[],
        groups=[
            group("census-worker", topics.ACCOUNTS.name, 4),
            group("census-worker", topics.BULK_VALIDATION_REQUESTS.name, 90),
            group("web-projector", topics.CENSUS_RESULTS.name, 7),
        ],
    )
    assert series(overview, "census-worker") == {
        "lag:census-worker": 94,
        "lag:web-projector": 7,
        "waiting:interactive": 4,
        "waiting:bulk": 90,
    }
