"""How an ADMIN's account administration changes the read tables. An edit writes the profile's
columns as the person's own does (`handlers.profile_updated`); a corrected cédula: the person's
row now names it, and its census status shows the new lookup PENDING (the answer about the old
cédula is no longer theirs, as every page joins the census by the person's current cédula); a
hand-over: the referral's leader now."""

from __future__ import annotations

from schemas.census import CensusStatus
from schemas.events import ReferralHandedOver, UserCedulaCorrected
from services.web.adapters.tables import users
from services.web.projection.row_writes import LOOKUP_STATE, REQUESTED
from services.web.projection.writes import OnExisting, Op, Write

CEDULA = Write(
    "cedula", users, ("user_id", "cedula", "updated_at"), OnExisting.UPDATE, match="user_id"
)
REFERRER = Write(
    "referrer", users, ("user_id", "referrer_id", "updated_at"), OnExisting.UPDATE, match="user_id"
)


def cedula_corrected(event: UserCedulaCorrected) -> list[Op]:
    """The new cédula's status moves to PENDING under the same rule as a request (the newest
    event wins), so the lookup's answer, projected first or later, is never hidden."""
    data = event.data
    user = {"user_id": data.user_id, "cedula": data.cedula, "updated_at": event.occurred_at}
    status = {
        "cedula": data.cedula,
        "user_id": data.user_id,
        "status": CensusStatus.PENDING.value,
        "request_id": event.event_id,
        "updated_at": event.occurred_at,
        "attempt": 0,
        "source": None,
        **dict.fromkeys(LOOKUP_STATE),
    }
    user_keys = (("users", data.user_id), ("users.cedula", data.cedula))
    return [
        Op(CEDULA, user, user_keys),
        Op(REQUESTED, status, (("census_status", data.cedula),)),
    ]


def referral_handed_over(event: ReferralHandedOver) -> list[Op]:
    data = event.data
    row = {
        "user_id": data.user_id,
        "referrer_id": data.to_leader_id,
        "updated_at": event.occurred_at,
    }
    return [Op(REFERRER, row, (("users", data.user_id),))]
