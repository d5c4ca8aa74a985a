"""The registration API (the command side), as the pages call it.

Every call carries the service token; calls on behalf of a logged-in user also carry `X-Actor-Id`,
and the registration service applies its own rules to that user. Answers come back as `Answer`
(status, Spanish messages per field); only an unreachable or failing service raises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import httpx
import structlog

from services.common.client_address import CLIENT_ADDRESS_HEADER
from services.common.log_context import REQUEST_ID_HEADER
from services.common.text import ascii_number

log = structlog.get_logger(__name__)
BULK_MAX_TARGETS = 1000  # what one bulk request may name (the registration API's limit)


class RegistrationUnavailable(RuntimeError):
    """The registration API did not answer, or answered with a server error."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any] = field(default_factory=dict)
    retry_after_s: int | None = None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def detail(self) -> str:
        return str(self.body.get("detail") or "")

    @property
    def field_errors(self) -> dict[str, str]:
        """field → Spanish message, the first one of each field."""
        errors: dict[str, str] = {}
        for item in self.body.get("errors") or []:
            errors.setdefault(str(item.get("field")), str(item.get("message")))
        return errors


def make_http_client(
    base_url: str, token: str, timeout_s: float, transport: httpx.AsyncBaseTransport | None = None
) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=base_url,
        transport=transport,
        headers={"Authorization": f"Bearer {token}"},
        timeout=timeout_s,
        event_hooks={"request": [_forward_request_id]},
    )


async def _forward_request_id(request: httpx.Request) -> None:
    """The page's request id goes along, so both services' lines of one action share it."""
    request_id = structlog.contextvars.get_contextvars().get("request_id")
    if request_id:
        request.headers[REQUEST_ID_HEADER] = str(request_id)


class RegistrationClient:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self._http = http

    async def register(self, form: dict[str, Any], client_address: str | None = None) -> Answer:
        """`client_address`: who signs up, so sign-ups count per address."""
        extra = {CLIENT_ADDRESS_HEADER: client_address} if client_address else {}
        return await self._call("POST", "/api/users", json=form, extra_headers=extra)

    async def verify_credentials(
        self, cedula: str, password: str, client_address: str | None = None
    ) -> Answer:
        """`client_address`: who tries, so failures count per address as well as per cédula."""
        body = {"cedula": cedula, "password": password}
        extra = {CLIENT_ADDRESS_HEADER: client_address} if client_address else {}
        return await self._call("POST", "/api/sessions/verify", json=body, extra_headers=extra)

    async def update_profile(self, actor: UUID, changes: dict[str, Any]) -> Answer:
        return await self._call("PATCH", f"/api/users/{actor}", actor, json=changes)

    async def change_password(self, actor: UUID, current: str, new: str) -> Answer:
        body = {"current_password": current, "new_password": new}
        return await self._call("PUT", f"/api/users/{actor}/password", actor, json=body)

    async def change_role(self, actor: UUID, user_id: UUID, role: str) -> Answer:
        return await self._call("PUT", f"/api/users/{user_id}/role", actor, json={"role": role})

    async def set_account_state(self, actor: UUID, user_id: UUID, disabled: bool) -> Answer:
        body = {"disabled": disabled}
        return await self._call("PUT", f"/api/users/{user_id}/state", actor, json=body)

    async def delete_account(self, actor: UUID, user_id: UUID) -> Answer:
        """204; 403 for someone else's (unless an ADMIN); 409 for the last active ADMIN."""
        return await self._call("DELETE", f"/api/users/{user_id}", actor)

    async def edit_user(self, actor: UUID, user_id: UUID, changes: dict[str, Any]) -> Answer:
        """An ADMIN's edit of nombre, teléfono, cédula, meta; 409 for a cédula taken."""
        return await self._call("PATCH", f"/api/users/{user_id}/account", actor, json=changes)

    async def hand_over_referrals(
        self, actor: UUID, from_leader: UUID, to_leader: UUID, user_ids: list[UUID] | None
    ) -> Answer:
        """200 with `moved` (the ids); user_ids None: every direct referral of `from_leader`."""
        body = {
            "from_leader_id": str(from_leader),
            "to_leader_id": str(to_leader),
            "user_ids": [str(user_id) for user_id in user_ids] if user_ids is not None else None,
        }
        return await self._call("POST", "/api/referrals/hand-over", actor, json=body)

    async def issue_reset_link(self, actor: UUID, user_id: UUID) -> Answer:
        """201 with `token` (shown once) and `expires_at`; 403 for someone not theirs."""
        return await self._call("POST", f"/api/users/{user_id}/reset-link", actor)

    async def set_temporary_password(self, actor: UUID, user_id: UUID, password: str) -> Answer:
        path, body = f"/api/users/{user_id}/temporary-password", {"password": password}
        return await self._call("PUT", path, actor, json=body)

    async def check_reset_link(self, token: str, client_address: str | None) -> Answer:
        """204 while usable; 410 for any dead link; 403 for a disabled account; 429."""
        extra = {CLIENT_ADDRESS_HEADER: client_address} if client_address else {}
        body = {"token": token}
        return await self._call(
            "POST", "/api/password-resets/check", json=body, extra_headers=extra
        )

    async def complete_reset(
        self, token: str, new_password: str, client_address: str | None
    ) -> Answer:
        extra = {CLIENT_ADDRESS_HEADER: client_address} if client_address else {}
        body = {"token": token, "new_password": new_password}
        return await self._call("POST", "/api/password-resets", json=body, extra_headers=extra)

    async def file_claim(self, form: dict[str, str], client_address: str | None) -> Answer:
        """201; 422 per field (a cédula without an account too); 429 past the limits."""
        extra = {CLIENT_ADDRESS_HEADER: client_address} if client_address else {}
        return await self._call("POST", "/api/claims", json=form, extra_headers=extra)

    async def transfer_claim(self, actor: UUID, claim_id: UUID) -> Answer:
        """201 with the account's `user_id`, a reset link's `token` (shown once), `expires_at`."""
        return await self._call("POST", f"/api/claims/{claim_id}/transfer", actor)

    async def reject_claim(self, actor: UUID, claim_id: UUID, reason: str) -> Answer:
        path, body = f"/api/claims/{claim_id}/reject", {"reason": reason}
        return await self._call("POST", path, actor, json=body)

    async def request_validation(self, actor: UUID, user_id: UUID) -> Answer:
        body = {"user_id": str(user_id), "reason": "refresh"}
        return await self._call("POST", "/api/validation-requests", actor, json=body)

    async def request_bulk_validation(self, actor: UUID, user_ids: list[UUID]) -> list[Answer]:
        """In chunks the API accepts; stops at the first refusal of a whole chunk (e.g. 429)."""
        answers = []
        for start in range(0, len(user_ids), BULK_MAX_TARGETS):
            chunk = [str(user_id) for user_id in user_ids[start : start + BULK_MAX_TARGETS]]
            body = {"user_ids": chunk, "reason": "bulk_refresh"}
            answers.append(
                await self._call("POST", "/api/validation-requests/bulk", actor, json=body)
            )
            if not answers[-1].ok:
                break
        return answers

    async def _call(
        self,
        method: str,
        path: str,
        actor: UUID | None = None,
        json: Any = None,
        extra_headers: dict[str, str] | None = None,
    ) -> Answer:
        headers = {"X-Actor-Id": str(actor)} if actor else {}
        headers |= extra_headers or {}
        try:
            response = await self._http.request(method, path, json=json, headers=headers)
        except httpx.HTTPError as exc:
            log.warning("registration.unreachable", path=path, error=type(exc).__name__)
            raise RegistrationUnavailable(str(exc)) from exc
        if response.status_code >= 500:
            log.warning("registration.failed", path=path, status=response.status_code)
            raise RegistrationUnavailable(f"{method} {path}: {response.status_code}")
        return Answer(response.status_code, _json(response), _retry_after(response))


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _retry_after(response: httpx.Response) -> int | None:
    value = response.headers.get("Retry-After", "")
    return ascii_number(value, 9)
