"""I/O of the registration service: tables, repositories, the outbox store, password hashing."""
