"""The committed AsyncAPI and OpenAPI documents match what the code generates."""

from __future__ import annotations

import pytest

from services.contracts import CONTRACTS, DOCS


@pytest.mark.parametrize("path", list(CONTRACTS), ids=lambda p: p.name)
def test_committed_contract_is_current(path) -> None:  # type: ignore[no-untyped-def]
    assert path.exists(), f"missing {path.relative_to(DOCS.parent)}: run `make contracts`"
    assert path.read_text(encoding="utf-8") == CONTRACTS[path](), (
        f"stale {path.relative_to(DOCS.parent)}: run `make contracts` and commit the result"
    )
