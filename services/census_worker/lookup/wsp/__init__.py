"""The `wsp` variant of the Registraduría's lookup: its page, its replies, its result table."""
