"""How failures look in the browser: anonymous → login page, forbidden → a Spanish 403 (an alert
for htmx requests), registration API down → 503 with a message. The JSON API keeps its JSON."""

from __future__ import annotations

from typing import Any

import structlog
from litestar import MediaType, Response
from litestar.exceptions import HTTPException, PermissionDeniedException
from litestar.status_codes import HTTP_401_UNAUTHORIZED, HTTP_503_SERVICE_UNAVAILABLE
from litestar.types import ExceptionHandlersMap

from services.web.adapters.registration_client import RegistrationUnavailable
from services.web.auth.guards import FORBIDDEN, LoginRequired
from services.web.auth.password_change import CHANGE_PAGE, PasswordChangeRequired
from services.web.bootstrap import web_services
from services.web.connection import AnyRequest
from services.web.entrypoints.pages.forms import UNAVAILABLE
from services.web.entrypoints.pages.rendering import (
    Layout,
    alert,
    is_htmx,
    login_url,
    see_other,
)

log = structlog.get_logger(__name__)
CSRF_FAILED = "El formulario caducó o no es válido. Recargue la página e intente de nuevo."
NOT_FOUND = "La página que busca no existe."
SERVER_ERROR = "Algo salió mal. Intente de nuevo en un momento."


def _wants_json(request: AnyRequest) -> bool:
    path = request.url.path
    return path.startswith(("/api/", "/health")) or path == "/metrics"


def _wants_stream(request: AnyRequest) -> bool:
    return "text/event-stream" in request.headers.get("accept", "")


def _problem(request: AnyRequest, status: int, text: str) -> Response[Any]:
    if _wants_json(request) or _wants_stream(request):
        return Response({"status_code": status, "detail": text}, status_code=status)
    if is_htmx(request):
        return alert("error", text, status=status)
    # Exception handlers take no dependencies: the layout comes from the started services.
    layout = Layout(request, web_services(request.app.state).hub.last_id)
    return layout.page("error.html", status=status, status_code=status, message=text)


def login_required(request: AnyRequest, _: LoginRequired) -> Response[Any]:
    target = login_url(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    if _wants_stream(request):
        return Response("", status_code=HTTP_401_UNAUTHORIZED, media_type=MediaType.TEXT)
    if is_htmx(request):  # the whole page goes to the login, not a fragment of it
        return Response("", status_code=HTTP_401_UNAUTHORIZED, headers={"HX-Redirect": target})
    return see_other(target)


def password_change_required(request: AnyRequest, _: PasswordChangeRequired) -> Response[Any]:
    """A temporary password: «Cambiar contraseña» first, whatever was asked."""
    if _wants_stream(request):
        return Response("", status_code=HTTP_401_UNAUTHORIZED, media_type=MediaType.TEXT)
    if is_htmx(request):
        return Response("", status_code=HTTP_401_UNAUTHORIZED, headers={"HX-Redirect": CHANGE_PAGE})
    return see_other(CHANGE_PAGE)


def forbidden(request: AnyRequest, exc: PermissionDeniedException) -> Response[Any]:
    text = CSRF_FAILED if "CSRF" in str(exc.detail) else FORBIDDEN
    return _problem(request, 403, text)


def registration_unavailable(request: AnyRequest, _: RegistrationUnavailable) -> Response[Any]:
    return _problem(request, HTTP_503_SERVICE_UNAVAILABLE, UNAVAILABLE)


def not_found(request: AnyRequest, exc: HTTPException) -> Response[Any]:
    if _wants_json(request):
        return Response({"status_code": 404, "detail": exc.detail}, status_code=404)
    return _problem(request, 404, NOT_FOUND)


def server_error(request: AnyRequest, exc: Exception) -> Response[Any]:
    log.exception("web.unhandled_error", path=request.url.path, error=type(exc).__name__)
    return _problem(request, 500, SERVER_ERROR)


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    LoginRequired: login_required,
    PasswordChangeRequired: password_change_required,
    PermissionDeniedException: forbidden,
    RegistrationUnavailable: registration_unavailable,
    404: not_found,
    500: server_error,
}
