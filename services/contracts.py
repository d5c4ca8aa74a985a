"""The committed API contracts: each HTTP service's OpenAPI document and the AsyncAPI document,
and the catalogue of the services' settings (docs/configuration.md).

`python -m services.contracts` rewrites them under docs/; a test fails while any is stale.
Building an app does no I/O (the services connect in their lifespan), so this runs anywhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from litestar import Litestar

from schemas import asyncapi
from services import configuration

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _registration() -> Litestar:
    from services.registration.app import create_app
    from services.registration.settings import RegistrationSettings

    return create_app(RegistrationSettings())


def _web() -> Litestar:
    """The web service's JSON API (its pages are HTML, outside the contract). The app itself
    serves no schema (every route it serves needs an access rule), so the document is built
    from the same handlers on an app made only for that."""
    from litestar.openapi import OpenAPIConfig
    from litestar.openapi.spec import Components, SecurityScheme

    from services.web.app import API_HANDLERS
    from services.web.entrypoints.dependencies import DEPENDENCIES

    token = SecurityScheme(type="http", scheme="bearer", description="WEB_API_TOKEN")
    return Litestar(
        route_handlers=API_HANDLERS,
        dependencies=DEPENDENCIES,  # what the handlers are given, as on the web app
        openapi_config=OpenAPIConfig(
            title="Censo · web",
            version="1.0.0",
            components=Components(security_schemes={"api_token": token}),
        ),
    )


def _openapi(factory: Callable[[], Litestar]) -> Callable[[], str]:
    def render() -> str:
        schema = factory().openapi_schema.to_schema()
        return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    return render


CONTRACTS: dict[Path, Callable[[], str]] = {
    DOCS / "asyncapi.json": asyncapi.render,
    DOCS / "openapi" / "registration.json": _openapi(_registration),
    DOCS / "openapi" / "web.json": _openapi(_web),
    DOCS / "configuration.md": configuration.render,
}


def main() -> None:
    for path, render in CONTRACTS.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(), encoding="utf-8")
        print(f"wrote {path.relative_to(DOCS.parent)}")


if __name__ == "__main__":
    main()
