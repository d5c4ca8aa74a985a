"""HTTP entrypoints of the registration API (Litestar controllers, DTOs, guards, error mapping)."""
