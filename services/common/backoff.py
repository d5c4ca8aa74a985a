"""Exponential backoff: every retry loop pauses, growing from `initial_s` to `max_s`."""

from __future__ import annotations


class Backoff:
    def __init__(self, initial_s: float, max_s: float) -> None:
        self.initial_s, self.max_s = initial_s, max_s
        self.attempt = 0

    def next_delay(self) -> float:
        self.attempt += 1
        return min(self.initial_s * 2.0 ** (self.attempt - 1), self.max_s)

    def reset(self) -> None:
        self.attempt = 0
