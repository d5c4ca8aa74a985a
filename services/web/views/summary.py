"""The referral summary of Inicio: «X de Y referidos» with its bar, and the referrals by status."""

from __future__ import annotations

from dataclasses import dataclass

from services.web.views.labels import STATUS_LABELS, badge_class


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    badge: str
    count: int


@dataclass(frozen=True)
class ReferralSummary:
    count: int
    goal: int
    by_status: list[StatusCount]
    stuck: int = 0

    @property
    def percent(self) -> int:
        return min(100, round(self.count * 100 / self.goal)) if self.goal else 0

    @property
    def reached(self) -> bool:
        return self.count >= self.goal


def status_counts(by_status: dict[str, int]) -> list[StatusCount]:
    """In the order of the statuses, without the empty ones."""
    return [
        StatusCount(status.value, label, badge_class(status), by_status[status.value])
        for status, label in STATUS_LABELS.items()
        if by_status.get(status.value)
    ]


def referral_summary(
    count: int, goal: int, by_status: dict[str, int], stuck: int = 0
) -> ReferralSummary:
    return ReferralSummary(count, goal, status_counts(by_status), stuck)
