"""Use cases: each handler takes a command and its collaborators, and commits one transaction."""
