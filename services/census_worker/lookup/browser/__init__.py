"""Chromium for the lookups: the browser manager, its launch, memory watch and stealth hooks."""
