"""Every route of the web service and who may use it: the one table the guard reads.

Keys are route handler names (`name=` on each route, also used by `url_for`). A route missing from
the table is refused (fail closed), and `create_app` refuses to start with such a route.
"""

from __future__ import annotations

from enum import IntEnum

from schemas.events import Role


class Access(IntEnum):
    """Ordered: a higher level includes the lower ones (an ADMIN may do what a LEADER may)."""

    PUBLIC = 0  # anyone, logged in or not
    TOKEN = 1  # the JSON API: its own bearer-token guard decides
    USER = 2
    LEADER = 3
    ADMIN = 4


ROLE_LEVEL = {Role.USER: Access.USER, Role.LEADER: Access.LEADER, Role.ADMIN: Access.ADMIN}

ROUTE_ACCESS: dict[str, Access] = {
    # infrastructure
    "health": Access.PUBLIC,
    "health_live": Access.PUBLIC,
    "health_ready": Access.PUBLIC,
    "metrics": Access.PUBLIC,  # counts only, no personal data; the proxy need not publish it
    "static": Access.PUBLIC,
    "static/head": Access.PUBLIC,
    "get_user_census": Access.TOKEN,
    # accounts
    "login_page": Access.PUBLIC,
    "login": Access.PUBLIC,
    "legacy_login": Access.PUBLIC,
    "logout": Access.PUBLIC,
    "register_page": Access.PUBLIC,
    "register": Access.PUBLIC,
    "legacy_register": Access.PUBLIC,
    "policy_page": Access.PUBLIC,
    "password_page": Access.USER,
    "change_password": Access.USER,
    "reset_password_page": Access.PUBLIC,  # the one-time link's token is the credential
    "reset_password": Access.PUBLIC,
    "claim_page": Access.PUBLIC,  # «¿Es su cédula?»: limited per connection and per cédula
    "file_claim": Access.PUBLIC,
    # pages of every logged-in user (object-level checks inside: own data or allowed referrals)
    "root": Access.USER,
    "home_page": Access.USER,
    "referral_qr_svg": Access.USER,
    "referral_qr_png": Access.USER,
    "home_summary": Access.USER,
    "home_charts": Access.USER,  # own referidos; their census only for leaders
    "profile_page": Access.USER,
    "update_profile": Access.USER,
    "personal_data_json": Access.USER,
    "personal_data_csv": Access.USER,
    "delete_own_account_page": Access.USER,
    "delete_own_account": Access.USER,
    "census_card": Access.USER,
    "refresh_census": Access.USER,
    "referrals_page": Access.USER,
    "referral_row": Access.USER,
    "referrals_csv": Access.USER,
    "live_events": Access.USER,
    # leaders
    "refresh_selected": Access.LEADER,
    "refresh_all": Access.LEADER,
    "voting_places_page": Access.LEADER,  # a leader's own referrals; an admin's anyone's
    "voting_places_csv": Access.LEADER,
    "voting_place_list": Access.LEADER,
    "census_changes_page": Access.LEADER,  # a leader's own referrals; an admin's everyone's
    "census_changes_badge": Access.LEADER,
    "mark_census_changes_seen": Access.LEADER,
    "reset_link_page": Access.LEADER,  # an ADMIN for anyone, a LEADER for direct referrals
    "issue_reset_link": Access.LEADER,
    # administrators
    "admin_users": Access.ADMIN,
    "admin_user_row": Access.ADMIN,
    "admin_charts": Access.ADMIN,
    "admin_user": Access.ADMIN,
    "admin_change_role": Access.ADMIN,
    "admin_account_state": Access.ADMIN,
    "admin_delete_account": Access.ADMIN,
    "admin_temporary_password": Access.ADMIN,
    "admin_claims": Access.ADMIN,  # claims name a stranger and an account's holder
    "admin_claims_badge": Access.ADMIN,
    "admin_transfer_claim": Access.ADMIN,
    "admin_reject_claim": Access.ADMIN,
    "admin_edit_user": Access.ADMIN,
    "hand_over_page": Access.ADMIN,
    "hand_over": Access.ADMIN,
    "operations_page": Access.ADMIN,
    "operations_status": Access.ADMIN,
    "operations_charts": Access.ADMIN,
    "operations_redrive": Access.ADMIN,
    "operations_resume_host": Access.ADMIN,
    "election_calendar_page": Access.ADMIN,
    "set_election_date": Access.ADMIN,
    "plan_revalidation": Access.ADMIN,
    "cancel_revalidation_plan": Access.ADMIN,
}


def role_allows(role: Role, access: Access) -> bool:
    return ROLE_LEVEL[role] >= access
