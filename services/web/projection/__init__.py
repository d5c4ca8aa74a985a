"""Keeps the read tables up to date from the event topics, exactly once per event."""
