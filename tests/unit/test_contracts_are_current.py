"""The committed AsyncAPI and OpenAPI documents and docs/configuration.md match what the code
generates."""

from __future__ import annotations

import pytest

from services.contracts import CONTRACTS, DOCS


@pytest.mark.parametrize("path", list(CONTRACTS), ids=lambda p: p.name)
def test_committed_contract_is_current(path) -> None:  # type: ignore[no-untyped-def]
    assert path.exists(), f"missing {path.relative_to(DOCS.parent)}: run `make contracts`"
    assert path.read_text(encoding="utf-8") == CONTRACTS[path](), (
        f"stale {path.relative_to(DOCS.parent)}: run `make contracts` and commit the result"
    )


def test_the_web_contract_documents_every_json_route_and_no_page() -> None:
    import json

    from services.web.app import create_app
    from services.web.settings import WebSettings

    app = create_app(WebSettings(session_secret="contracts"))
    api_paths = {r.path.replace(":uuid", "") for r in app.routes if r.path.startswith("/api/")}
    documented = set(json.loads((DOCS / "openapi" / "web.json").read_text())["paths"])
    assert api_paths and api_paths <= documented
    assert all(path.startswith("/api/") or path == "/health" for path in documented)
