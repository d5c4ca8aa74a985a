"""A campaign's event history as the real producers write it, for projection tests and the
rebuild benchmark: registrations (some referred by leaders), the worker's lookups with failures
and retries, re-checks, profile edits, promotions and disabled accounts (some enabled again),
each event in its producer's order.

Deterministic for a seed, so two runs (or a test and its expectation) see the same events.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from uuid import UUID

from schemas.census import CensusStatus, Novedad, VotingPlace
from schemas.envelope import Event
from schemas.events import (
    CedulaValidated,
    CedulaValidatedData,
    Role,
    UserDisabled,
    UserDisabledData,
    UserEnabled,
    UserEnabledData,
    UserProfileUpdated,
    UserProfileUpdatedData,
    UserRegistered,
    UserRegisteredData,
    UserRoleChanged,
    UserRoleChangedData,
    ValidationFailed,
    ValidationFailedData,
    ValidationReason,
    ValidationRequested,
    ValidationRequestedData,
    ValidationStarted,
    ValidationStartedData,
)

START = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
PLACES = [
    VotingPlace(
        departamento=dep,
        municipio=mun,
        puesto=f"IE {mun} PUESTO {n}",
        direccion=f"CL {n} No. {n + 3}-{n * 7}",
        mesa=str(n),
    )
    for n, (dep, mun) in enumerate(
        [("SUCRE", "SINCELEJO"), ("BOLIVAR", "CARTAGENA"), ("ANTIOQUIA", "MEDELLIN")] * 4, 1
    )
]
DECEASED = Novedad(novedad="CANCELADA POR MUERTE", resolucion="4567 de 2019", fecha="2019-05-02")


class Campaign:
    """Events of `people` people; `events()` yields them in a realistic order."""

    def __init__(self, people: int, seed: int = 7) -> None:
        self.people = people
        self._rng = random.Random(seed)
        self._leaders: list[UUID] = []
        self._clock = START

    def events(self) -> Iterator[Event]:
        for index in range(self.people):
            yield from self._person(index)

    def _uuid(self) -> UUID:
        return UUID(int=self._rng.getrandbits(128), version=4)

    def _tick(self) -> datetime:
        self._clock += timedelta(milliseconds=self._rng.randint(50, 5_000))
        return self._clock

    def _person(self, index: int) -> Iterator[Event]:
        rng = self._rng
        referrer = rng.choice(self._leaders) if self._leaders and rng.random() < 0.8 else None
        at = self._tick()
        registered = UserRegistered(
            producer="registration",
            event_id=self._uuid(),
            occurred_at=at,
            correlation_id=self._uuid(),
            data=UserRegisteredData(
                user_id=self._uuid(),
                cedula=str(1_000_000_000 + index),
                nombre=rng.choice(["Ana María Pérez", "José Luis Gómez", "Luz Dary Rincón"]),
                telefono=f"300{rng.randint(1_000_000, 9_999_999)}",
                referrer_id=referrer,
                referral_code=f"{index:08X}",
                registered_at=at,
            ),
        )
        yield registered
        yield from self._lookups(registered, registered.event_id)
        user_id, cedula = registered.data.user_id, registered.data.cedula
        if rng.random() < 0.10:
            yield UserProfileUpdated(
                producer="registration",
                occurred_at=self._tick(),
                data=UserProfileUpdatedData(
                    user_id=user_id, nombre="Ana M. Pérez", telefono="3109876543", referral_goal=25
                ),
            )
        if rng.random() < 0.05:
            self._leaders.append(user_id)
            yield UserRoleChanged(
                producer="registration",
                occurred_at=self._tick(),
                data=UserRoleChangedData(
                    user_id=user_id, role=Role.LEADER, previous_role=Role.USER
                ),
            )
        yield from self._disabled(index, user_id)
        if rng.random() < 0.10:
            request = ValidationRequested(
                producer="registration",
                event_id=self._uuid(),
                occurred_at=self._tick(),
                data=ValidationRequestedData(
                    user_id=user_id, cedula=cedula, reason=ValidationReason.REFRESH
                ),
            )
            yield request
            yield from self._lookups(request, request.event_id)

    def _disabled(self, index: int, user_id: UUID) -> Iterator[Event]:
        """One person in 20 disabled, every other one of them enabled again; a millisecond apart
        and without drawing from the generator, so the rest of the history stays as it was."""
        if index % 20 != 7:
            return
        at = self._clock + timedelta(milliseconds=1)
        yield UserDisabled(
            producer="registration", occurred_at=at, data=UserDisabledData(user_id=user_id)
        )
        if index % 40 == 7:
            yield UserEnabled(
                producer="registration",
                occurred_at=at + timedelta(milliseconds=1),
                data=UserEnabledData(user_id=user_id),
            )

    def _lookups(self, cause: Event, request_id: UUID) -> Iterator[Event]:
        """The worker's answer to one request: a failed attempt now and then, then an answer."""
        data = cause.data  # type: ignore[attr-defined]
        attempts = 2 if self._rng.random() < 0.15 else 1
        for attempt in range(1, attempts + 1):
            lookup = {
                "user_id": data.user_id,
                "cedula": data.cedula,
                "request_id": request_id,
                "attempt": attempt,
                "source": "wsp",
            }
            yield cause.caused(
                ValidationStarted,
                producer="census-worker",
                occurred_at=self._tick(),
                data=ValidationStartedData(**lookup),
            )
            at = self._tick()
            if attempt < attempts:
                yield cause.caused(
                    ValidationFailed,
                    producer="census-worker",
                    occurred_at=at,
                    data=ValidationFailedData(
                        **lookup,
                        status=CensusStatus.TIMEOUT,
                        reason="La página tardó demasiado",
                        will_retry=True,
                        next_attempt_at=at + timedelta(seconds=30),
                        failed_at=at,
                    ),
                )
            else:
                yield cause.caused(
                    CedulaValidated,
                    producer="census-worker",
                    occurred_at=at,
                    data=self._answer(lookup, at),
                )

    def _answer(self, lookup: dict, at: datetime) -> CedulaValidatedData:
        roll = self._rng.random()
        if roll < 0.90:
            place = self._rng.choice(PLACES)
            return CedulaValidatedData(
                **lookup, status=CensusStatus.ACTIVE, voting_place=place, fetched_at=at
            )
        if roll < 0.97:
            return CedulaValidatedData(**lookup, status=CensusStatus.NOT_FOUND, fetched_at=at)
        return CedulaValidatedData(
            **lookup, status=CensusStatus.CANCELLED_DECEASED, novedad=DECEASED, fetched_at=at
        )
