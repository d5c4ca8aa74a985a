"""Whose census a user may see: the one rule both the pages and the live updates apply."""

from __future__ import annotations

from uuid import UUID

from schemas.events import Role


def can_view_census(
    viewer_id: UUID, viewer_role: Role, target_id: UUID, target_referrer_id: UUID | None
) -> bool:
    """Their own; a LEADER their direct referrals'; an ADMIN everyone's."""
    if viewer_id == target_id or viewer_role is Role.ADMIN:
        return True
    return viewer_role is Role.LEADER and target_referrer_id == viewer_id
