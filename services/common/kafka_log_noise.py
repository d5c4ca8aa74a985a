"""aiokafka reports each step of a consumer-group rebalance as a WARNING or an ERROR, again at every
heartbeat until it is over; a rebalance is routine (every start-up, every member that joins or
leaves), so the first line of each kind is kept at INFO and its repeats go down to DEBUG."""

from __future__ import annotations

import logging

# aiokafka's message templates (`record.msg`, aiokafka 0.14 consumer/group_coordinator.py).
REBALANCE_STEPS = frozenset(
    {
        "Heartbeat failed for group %s because it is rebalancing",
        "Heartbeat failed for group %s: generation id is not  current.",
        "Heartbeat failed: local member_id was not recognized; resetting and re-joining group",
        "Heartbeat failed for group %s: coordinator (node %s) is either not started or not valid",
        "OffsetCommit failed for group %s due to group error (%s), will rejoin",
        "Group Coordinator Request failed: %s",
        "Marking the coordinator dead (node %s)for group %s.",
    }
)


class RebalanceNoise(logging.Filter):
    """A handler filter: rewrites the level of aiokafka's rebalance lines before they are
    formatted, and drops the demoted ones below `threshold` (the root level)."""

    def __init__(self, threshold: int) -> None:
        super().__init__()
        self.threshold = threshold
        self._seen: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith("aiokafka") or not isinstance(record.msg, str):
            return True
        if record.msg not in REBALANCE_STEPS:
            return True
        line = record.getMessage()
        level = logging.DEBUG if line in self._seen else logging.INFO
        self._seen.add(line)
        record.levelno, record.levelname = level, logging.getLevelName(level)
        return level >= self.threshold
