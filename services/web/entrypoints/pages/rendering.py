"""Helpers every page uses: the layout around a whole page, fragments, flash messages, redirects,
htmx."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from services.web.connection import AnyRequest

FLASH_KEY = "flash"
HOME = "/inicio"


def is_htmx(request: AnyRequest) -> bool:
    return request.headers.get("hx-request") == "true"


def flash(request: AnyRequest, level: str, text: str) -> None:
    """A message shown once, on the next page (levels: success, info, warning, error)."""
    messages = list(request.session.get(FLASH_KEY, []))
    request.session[FLASH_KEY] = [*messages, [level, text]]


def _pop_flashes(request: AnyRequest) -> list[tuple[str, str]]:
    if "session" not in request.scope or FLASH_KEY not in request.session:
        return []
    return [(level, text) for level, text in request.session.pop(FLASH_KEY)]


@dataclass(frozen=True)
class Layout:
    """What every whole page shows around its content: the viewer, the flashes, and where the
    live updates stood when the request came in (the page's stream starts there)."""

    request: AnyRequest
    live_since: str

    def page(self, template: str, status: int = 200, **context: Any) -> Template:
        base = {
            "viewer": self.request.state.get("viewer"),
            "flashes": _pop_flashes(self.request),
            "path": self.request.url.path,
            "live_since": self.live_since,
        }
        return Template(template_name=template, context=base | context, status_code=status)


def fragment(template: str, status: int = 200, **context: Any) -> Template:
    return Template(template_name=template, context=context, status_code=status)


def alert(level: str, text: str, status: int = 200, **headers: str) -> Template:
    """A message for the page's alert area (htmx targets #alerts)."""
    return Template(
        template_name="_alert.html",
        context={"level": level, "text": text},
        status_code=status,
        headers={"HX-Retarget": "#alerts", "HX-Reswap": "afterbegin", **headers},
    )


def see_other(path: str) -> Redirect:
    return Redirect(path, status_code=HTTP_303_SEE_OTHER)


def safe_next(raw: str | None) -> str:
    """Only a path of this site (never //host or a scheme) may be the target after login."""
    if raw and raw.startswith("/") and not raw.startswith("//") and "\\" not in raw:
        return raw
    return HOME


def login_url(next_path: str) -> str:
    return f"/ingresar?next={quote(next_path, safe='/')}" if next_path != HOME else "/ingresar"
