"""Registration service: the command side that owns accounts, referrals and roles, and is the only
writer of account events (published through a transactional outbox)."""
