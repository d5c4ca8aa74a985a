"""Operators' tools: inspect topics and groups, redrive dead letters, revalidate, reset offsets."""
