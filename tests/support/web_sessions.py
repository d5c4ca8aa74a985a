"""Logged-in web sessions without the login form, for suites and benchmarks that have no
registration API: the session holds what the login page would have stored."""

from __future__ import annotations

import json

from schemas.events import UserRegistered
from services.web.auth.viewer import Viewer, session_contents


def viewer_of(user: UserRegistered) -> Viewer:
    data = user.data
    return Viewer(
        user_id=data.user_id,
        role=data.role,
        cedula=data.cedula,
        nombre=data.nombre,
        telefono=data.telefono,
        referral_code=data.referral_code,
        referral_goal=data.referral_goal,
        data_policy_accepted_at=data.registered_at,
    )


def session_data(user: UserRegistered, remember: bool = True) -> bytes:
    """The stored bytes of a session of `user` (the web's session store keeps JSON)."""
    return json.dumps(session_contents(viewer_of(user), remember)).encode()
