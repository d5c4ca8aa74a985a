"""`python -m bench.registration_server [--without-outbox]`: the registration API exactly as
`censo registration serve` runs it, or with the outbox write taken out of its unit of work.

Without the outbox, a registration still validates, hashes, checks the cédula and referral code
and inserts the user in one transaction; only the outbox row (and the NOTIFY that wakes the
relay) are skipped. The service's code is untouched: the unit of work is handed a writer that
writes nothing.
"""

from __future__ import annotations

import sys

from schemas.envelope import Event
from services.registration.adapters import unit_of_work
from services.registration.adapters.outbox_store import OutboxWriter
from services.registration.cli import serve

WITHOUT_OUTBOX = "--without-outbox"


class NoOutboxWriter(OutboxWriter):
    async def add(self, *events: Event) -> None:
        return None

    async def notify_if_pending(self) -> None:
        return None


def main(argv: list[str]) -> None:
    if WITHOUT_OUTBOX in argv:
        unit_of_work.OutboxWriter = NoOutboxWriter  # type: ignore[misc]
    serve()


if __name__ == "__main__":
    main(sys.argv[1:])
