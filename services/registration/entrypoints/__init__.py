"""Entry points of the registration service: the HTTP API (Litestar controllers, DTOs, guards,
error mapping) and the relay process."""
