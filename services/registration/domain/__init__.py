"""Pure rules of accounts, referrals and roles: no I/O, no framework."""
