"""argon2id hashing: verification, the decoy for unknown accounts, rehash on parameter change."""

from __future__ import annotations

from services.registration.adapters.password_hasher import PasswordHasher


def fast(time_cost: int = 1) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost_kib=1024, parallelism=1)


async def test_hash_is_argon2id_and_verifies_only_the_right_password() -> None:
    hasher = fast()
    stored = await hasher.hash("Orquídea-Azul")
    assert stored.startswith("$argon2id$")
    assert await hasher.verify(stored, "Orquídea-Azul")
    assert not await hasher.verify(stored, "orquídea-azul")


async def test_missing_or_corrupt_hash_never_verifies() -> None:
    hasher = fast()
    assert not await hasher.verify(None, "anything")
    assert not await hasher.verify("not-a-hash", "anything")


async def test_hash_made_with_old_parameters_needs_rehash() -> None:
    old = await fast(time_cost=1).hash("Orquídea-Azul")
    assert fast(time_cost=2).needs_rehash(old)
    assert not fast(time_cost=1).needs_rehash(old)
