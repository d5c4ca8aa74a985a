"""Who may do what to whom. Pure functions so every rule has its own unit test."""

from __future__ import annotations

from schemas.events import Role
from services.registration.domain.model import Actor, Target


def can_request_validation(actor: Actor, target: Target) -> bool:
    """Anyone for themselves; a LEADER for users they referred directly; an ADMIN for anyone."""
    if actor.id == target.id or actor.role is Role.ADMIN:
        return True
    return actor.role is Role.LEADER and target.referrer_id == actor.id


def can_change_roles(actor: Actor) -> bool:
    return actor.role is Role.ADMIN


def can_change_account_state(actor: Actor) -> bool:
    """Disabling and enabling accounts, as roles, is for an ADMIN."""
    return actor.role is Role.ADMIN


def can_issue_reset_link(actor: Actor, target: Target) -> bool:
    """An ADMIN for anyone; a LEADER for the people they referred directly; a USER never (who
    knows their own password changes it on the profile page)."""
    if actor.role is Role.ADMIN:
        return True
    return actor.role is Role.LEADER and target.referrer_id == actor.id


def can_set_temporary_password(actor: Actor) -> bool:
    return actor.role is Role.ADMIN


def can_resolve_claims(actor: Actor) -> bool:
    """Claims name a stranger and an account's holder: an ADMIN alone reads and decides them."""
    return actor.role is Role.ADMIN


def can_edit_account(actor: Actor, user_id: object) -> bool:
    """Profile and password belong to their owner alone."""
    return actor.id == user_id


def can_delete_account(actor: Actor, user_id: object) -> bool:
    """The person themself (Ley 1581: deletion on request) or an ADMIN."""
    return actor.id == user_id or actor.role is Role.ADMIN


def can_administer_accounts(actor: Actor) -> bool:
    """Editing someone else's account data and handing referrals over are for an ADMIN."""
    return actor.role is Role.ADMIN
