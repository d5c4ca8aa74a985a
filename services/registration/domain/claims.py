"""Claims for a taken cédula: someone says the cédula an account was registered with is theirs.
An ADMIN transfers the account to them or rejects the claim; either way, once."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from schemas.events import ClaimOutcome


class ClaimStatus(StrEnum):
    ABIERTO = "abierto"
    TRANSFERIDO = "transferido"
    RECHAZADO = "rechazado"


@dataclass(frozen=True)
class Claim:
    id: UUID
    user_id: UUID  # the account registered with the cédula when the claim was filed
    cedula: str
    nombre: str  # the claimant's, as they typed it (normalised)
    telefono: str
    mensaje: str
    filed_at: datetime
    status: ClaimStatus = ClaimStatus.ABIERTO
    resolved_at: datetime | None = None
    resolved_by: UUID | None = None  # the ADMIN who decided
    reason: str | None = None  # why it was rejected

    @property
    def open(self) -> bool:
        return self.status is ClaimStatus.ABIERTO

    def resolved(
        self, outcome: ClaimOutcome, by: UUID, now: datetime, reason: str | None = None
    ) -> Claim:
        return replace(
            self,
            status=ClaimStatus(outcome.value),
            resolved_at=now,
            resolved_by=by,
            reason=reason,
        )
