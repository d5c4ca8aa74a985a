"""/api/person-keys: the data keys that open sealed events, for the services that read them
(web projector, census worker, data download); behind the service token, as every /api route.

A user id missing from the answer has no key: the account was deleted (its events read erased).
"""

from __future__ import annotations

import base64
from typing import Annotated
from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import Parameter
from pydantic import BaseModel, Field

from services.registration.adapters.person_keys_store import keys_of
from services.registration.bootstrap import Services
from services.registration.entrypoints.errors import documented

MAX_KEYS_PER_CALL = 500


class PersonKeysOut(BaseModel):
    keys: dict[UUID, str] = Field(description="user id -> base64 AES-256 key; absent: deleted")


class PersonKeysController(Controller):
    path = "/api/person-keys"
    tags = ("keys",)

    @get(
        operation_id="person_keys",
        responses=documented(422),
        summary="The data keys of these users (absent: deleted); services only, never a person.",
    )
    async def person_keys(
        self,
        services: NamedDependency[Services],
        user_id: Annotated[list[UUID], Parameter(max_items=MAX_KEYS_PER_CALL, min_items=1)],
    ) -> PersonKeysOut:
        async with services.engine.connect() as conn:
            found = await keys_of(conn, set(user_id))
        return PersonKeysOut(keys={k: base64.b64encode(v).decode() for k, v in found.items()})
