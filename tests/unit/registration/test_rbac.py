"""Who may ask for a re-validation, change roles, or edit an account."""

from __future__ import annotations

from uuid import uuid4

from schemas.events import Role
from services.registration.domain.model import Actor, Target
from services.registration.domain.rbac import (
    can_change_roles,
    can_edit_account,
    can_request_validation,
)


def actor(role: Role) -> Actor:
    return Actor(uuid4(), role)


def target(referrer=None) -> Target:
    return Target(uuid4(), "1020304050", referrer)


def test_anyone_may_request_their_own_validation() -> None:
    for role in Role:
        someone = actor(role)
        assert can_request_validation(someone, Target(someone.id, "123456", None))


def test_leader_may_request_validation_of_direct_referrals() -> None:
    leader = actor(Role.LEADER)
    assert can_request_validation(leader, target(referrer=leader.id))


def test_leader_cannot_request_validation_of_someone_elses_referral() -> None:
    assert not can_request_validation(actor(Role.LEADER), target(referrer=uuid4()))
    assert not can_request_validation(actor(Role.LEADER), target())


def test_user_cannot_request_validation_of_their_own_referrals() -> None:
    user = actor(Role.USER)
    assert not can_request_validation(user, target(referrer=user.id))


def test_admin_may_request_validation_of_anyone() -> None:
    assert can_request_validation(actor(Role.ADMIN), target(referrer=uuid4()))


def test_only_admin_changes_roles() -> None:
    assert can_change_roles(actor(Role.ADMIN))
    assert not can_change_roles(actor(Role.LEADER))
    assert not can_change_roles(actor(Role.USER))


def test_accounts_are_edited_only_by_their_owner() -> None:
    owner = actor(Role.USER)
    assert can_edit_account(owner, owner.id)
    assert not can_edit_account(actor(Role.ADMIN), owner.id)
