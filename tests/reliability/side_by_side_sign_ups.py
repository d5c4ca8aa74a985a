"""Sign-ups of the side-by-side scenario: each through one of the registration APIs, followed by
the person's own profile change (a second event of the same key, whose order the relays keep)."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx

from infra.registraduria_sim import outcome_for
from infra.registraduria_sim.outcome import OutcomeKind
from services.common.client_address import CLIENT_ADDRESS_HEADER
from tests.reliability.side_by_side import REGISTRATIONS, SideBySide
from tests.reliability.support import registration_body
from tests.support.processes import CENSO

NEW_PHONE = "3009998877"


@dataclass(frozen=True)
class SignUp:
    cedula: str
    via: str  # the registration process that takes it
    referral_code: str | None = None


def found_cedulas(count: int, start: int) -> list[str]:
    """Cédulas the simulator finds in the census: every answer is ACTIVE with a mesa."""
    numbers = (str(n) for n in itertools.count(start))
    found = (c for c in numbers if outcome_for(c).kind is OutcomeKind.FOUND)
    return list(itertools.islice(found, count))


def plan(cedulas: list[str], referral_codes: list[str], per_referrer: int) -> list[SignUp]:
    """Alternating between the APIs; the referrals of each referrer spread over the run and sent
    through the other referrer's API (so through the web process its browser is not on)."""
    sign_ups = [SignUp(c, REGISTRATIONS[n % 2]) for n, c in enumerate(cedulas)]
    spacing = len(sign_ups) // (per_referrer * len(referral_codes))
    slots = iter(range(0, len(sign_ups), spacing))
    for _ in range(per_referrer):
        for n, code in enumerate(referral_codes):
            slot = next(slots)
            via = REGISTRATIONS[(n + 1) % len(REGISTRATIONS)]
            sign_ups[slot] = SignUp(sign_ups[slot].cedula, via, code)
    return sign_ups


def client_address(cedula: str) -> str:
    """Each person from an address of their own, as the web passes it: sign-ups past the
    campaign's looked-up-now share of a minute get their lookup through the bulk lane."""
    number = int(cedula)
    return f"10.77.{number // 256 % 256}.{number % 256}"


def sign_up(client: httpx.Client, deployment: SideBySide, item: SignUp) -> dict[str, str]:
    """Register, then change one's own phone: the user as the API answered the sign-up."""
    base = deployment.url(item.via, "/api/users")
    token = {"authorization": f"Bearer {deployment.env['REGISTRATION_SERVICE_TOKEN']}"}
    body = registration_body(item.cedula) | {"referral_code": item.referral_code}
    address = {CLIENT_ADDRESS_HEADER: client_address(item.cedula)}
    created = client.post(base, json=body, headers=token | address, timeout=60)
    assert created.status_code == 201, created.text
    user: dict[str, str] = created.json()
    changed = client.patch(
        f"{base}/{user['id']}",
        json={"telefono": NEW_PHONE},
        headers=token | {"x-actor-id": user["id"]},
        timeout=60,
    )
    assert changed.status_code == 200, changed.text
    return user


def leaders(deployment: SideBySide, cedulas: list[str]) -> tuple[str, list[dict[str, str]]]:
    """One LEADER per registration API (a leader's Inicio counts its referrals' answers), made
    so by an administrator that `censo admin create` made first (the last cédula): the
    administrator's id and the leaders."""
    *people, admin_cedula = cedulas
    admin_id = create_admin(deployment, admin_cedula)
    token = {"authorization": f"Bearer {deployment.env['REGISTRATION_SERVICE_TOKEN']}"}
    made = []
    with httpx.Client() as client:
        for cedula, via in zip(people, REGISTRATIONS, strict=True):
            user = sign_up(client, deployment, SignUp(cedula, via))
            role = client.put(
                deployment.url(via, f"/api/users/{user['id']}/role"),
                json={"role": "LEADER"},
                headers=token | {"x-actor-id": admin_id},
                timeout=60,
            )
            assert role.status_code == 200, role.text
            made.append(user)
    return admin_id, made


def create_admin(deployment: SideBySide, cedula: str) -> str:
    """As an operator does it; the administrator's user id."""
    options = ["--cedula", cedula, "--nombre", "Coordinadora General", "--telefono", NEW_PHONE]
    created = subprocess.run(
        [CENSO, "admin", "create", *options],
        env=os.environ | deployment.env | {"CENSO_ADMIN_PASSWORD": "Coordinacion-2026"},
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    found = re.search(r"administrator created: (\S+)", created.stdout)
    assert found, created.stdout + created.stderr
    return found.group(1)


def sign_up_all(
    deployment: SideBySide, sign_ups: list[SignUp], progress: threading.Event, at: int
) -> set[str]:
    """Every sign-up, four at a time; `progress` is set once `at` of them are done (or any
    failed, so nobody waits for it in vain). The ids of the users made."""
    done = itertools.count(1)

    def one(item: SignUp) -> str:
        user_id = sign_up(client, deployment, item)["id"]
        if next(done) >= at:
            progress.set()
        return user_id

    try:
        with httpx.Client() as client, ThreadPoolExecutor(4) as pool:
            return set(pool.map(one, sign_ups))
    finally:
        progress.set()
