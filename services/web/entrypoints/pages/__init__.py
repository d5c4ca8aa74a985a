"""The Spanish pages of the dashboard, one module per area; `PAGE_HANDLERS` lists them all."""

from services.web.entrypoints.pages.account_deletion import ACCOUNT_DELETION_HANDLERS
from services.web.entrypoints.pages.admin import ADMIN_HANDLERS
from services.web.entrypoints.pages.admin_accounts import ADMIN_ACCOUNT_HANDLERS
from services.web.entrypoints.pages.admin_claims import ADMIN_CLAIM_HANDLERS
from services.web.entrypoints.pages.admin_edits import ADMIN_EDIT_HANDLERS
from services.web.entrypoints.pages.auth import AUTH_HANDLERS
from services.web.entrypoints.pages.census import CENSUS_HANDLERS
from services.web.entrypoints.pages.census_changes import CENSUS_CHANGE_HANDLERS
from services.web.entrypoints.pages.census_hosts import CENSUS_HOST_HANDLERS
from services.web.entrypoints.pages.charts import CHART_HANDLERS
from services.web.entrypoints.pages.claims import CLAIM_HANDLERS
from services.web.entrypoints.pages.election import ELECTION_HANDLERS
from services.web.entrypoints.pages.election_plans import ELECTION_PLAN_HANDLERS
from services.web.entrypoints.pages.hand_over import HAND_OVER_HANDLERS
from services.web.entrypoints.pages.home import HOME_HANDLERS
from services.web.entrypoints.pages.operations import OPERATIONS_HANDLERS
from services.web.entrypoints.pages.personal_data import PERSONAL_DATA_HANDLERS
from services.web.entrypoints.pages.policy import POLICY_HANDLERS
from services.web.entrypoints.pages.profile import PROFILE_HANDLERS
from services.web.entrypoints.pages.referrals import REFERRAL_HANDLERS
from services.web.entrypoints.pages.referrals_export import EXPORT_HANDLERS
from services.web.entrypoints.pages.register import REGISTER_HANDLERS
from services.web.entrypoints.pages.reset_links import RESET_LINK_HANDLERS
from services.web.entrypoints.pages.reset_password import RESET_PASSWORD_HANDLERS
from services.web.entrypoints.pages.share import SHARE_HANDLERS
from services.web.entrypoints.pages.voting_places import VOTING_PLACE_HANDLERS

PAGE_HANDLERS = [
    *AUTH_HANDLERS,
    *REGISTER_HANDLERS,
    *CLAIM_HANDLERS,
    *POLICY_HANDLERS,
    *HOME_HANDLERS,
    *SHARE_HANDLERS,
    *PERSONAL_DATA_HANDLERS,
    *PROFILE_HANDLERS,
    *CENSUS_HANDLERS,
    *REFERRAL_HANDLERS,
    *EXPORT_HANDLERS,
    *ADMIN_HANDLERS,
    *ADMIN_ACCOUNT_HANDLERS,
    *ACCOUNT_DELETION_HANDLERS,
    *ADMIN_CLAIM_HANDLERS,
    *ADMIN_EDIT_HANDLERS,
    *HAND_OVER_HANDLERS,
    *OPERATIONS_HANDLERS,
    *CENSUS_HOST_HANDLERS,
    *ELECTION_HANDLERS,
    *ELECTION_PLAN_HANDLERS,
    *VOTING_PLACE_HANDLERS,
    *CENSUS_CHANGE_HANDLERS,
    *CHART_HANDLERS,
    *RESET_LINK_HANDLERS,
    *RESET_PASSWORD_HANDLERS,
]
