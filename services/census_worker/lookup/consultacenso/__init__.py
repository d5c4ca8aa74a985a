"""The `consultacenso` variant of the Registraduría's lookup: its page and its JSON replies."""
