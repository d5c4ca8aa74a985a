"""Turns at a census host, as pure rules: the lanes that wait for them, the rotation that picks
the host whose turn comes first, and the cooldown that grows while a host answers BLOCKED.

A host's budget itself lives in the worker's database (see `adapters.host_budget`); these are the
decisions around it, with times given as seconds from "now".
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass


class Lane(enum.IntEnum):
    """Who waits for a turn; a lower value goes first. FIFO inside a lane."""

    INTERACTIVE = 0  # a new sign-up, a person's own or their leader's single refresh
    BULK = 1  # revalidations, redrives, retries


class TurnLost(Exception):
    """The turn booked for a lookup was lost before it came (its lease could no longer be kept):
    the lookup sends nothing and waits for another turn."""


@dataclass(frozen=True)
class Booking:
    """A turn booked at `host`: start in `start_in_s`, and never later than `lease_left_s`."""

    host: str
    start_in_s: float
    lease_left_s: float
    took_over: bool = False  # the previous holder's lease had run out


@dataclass(frozen=True)
class HostAnswered:
    """What a lookup's answer did to its host: a BLOCKED cooldown started, its circuit opened."""

    cooldown_s: float | None = None
    circuit_opened: bool = False


class Resumed(enum.Enum):
    """What an operator's resume command did to a host's circuit."""

    CLOSED = "closed"
    NOT_OPEN = "not_open"  # closed already (another worker, an earlier command)
    STALE = "stale"  # the circuit opened after the command was sent: it stays open
    UNKNOWN_HOST = "unknown_host"


@dataclass(frozen=True)
class HostView:
    """What a process reads of a host before choosing where to book.

    `start_in_s`: the earliest start of its next turn; `held` another process holds its turn (it is
    free again by `free_in_s` at the latest, when that lease ends); `circuit_open` it is paused.
    """

    host: str
    start_in_s: float
    held: bool = False
    free_in_s: float = 0.0
    circuit_open: bool = False


def rotation_order(
    views: Sequence[HostView], preference: Sequence[str], interval_s: float
) -> list[str]:
    """The hosts worth booking now, best first: earliest turn, ties in order of preference.

    A paused host is skipped, and so is one whose turn comes later than the next turn after the
    earliest one (a host in a long cooldown must not make a lookup wait for it).
    """
    open_views = [v for v in views if not v.circuit_open]
    if not open_views:
        return []
    earliest = min(v.start_in_s for v in open_views)
    rank = {host: index for index, host in enumerate(preference)}
    eligible = [v for v in open_views if not v.held and v.start_in_s <= earliest + interval_s]
    eligible.sort(key=lambda v: (round(max(v.start_in_s, 0.0), 2), rank.get(v.host, len(rank))))
    return [v.host for v in eligible]


def blocked_cooldown_s(base_s: float, max_s: float, blocked_in_a_row: int) -> float:
    """The pause after a BLOCKED answer that follows `blocked_in_a_row` others: doubling, capped."""
    return min(base_s * 2.0**blocked_in_a_row, max_s)
