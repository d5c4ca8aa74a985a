"""How failures look in the browser: anonymous → login page, forbidden → a Spanish 403 (an alert
for htmx requests), registration API down → 503 with a message. The JSON API keeps its JSON."""

from __future__ import annotations

import structlog
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, PermissionDeniedException
from litestar.response import Template
from litestar.status_codes import HTTP_401_UNAUTHORIZED, HTTP_503_SERVICE_UNAVAILABLE

from services.web.adapters.registration_client import RegistrationUnavailable
from services.web.auth.guards import FORBIDDEN, LoginRequired
from services.web.entrypoints.pages.forms import UNAVAILABLE
from services.web.entrypoints.pages.rendering import alert, is_htmx, login_url, page, see_other

log = structlog.get_logger(__name__)
CSRF_FAILED = "El formulario caducó o no es válido. Recargue la página e intente de nuevo."
NOT_FOUND = "La página que busca no existe."
SERVER_ERROR = "Algo salió mal. Intente de nuevo en un momento."


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/health"


def _wants_stream(request: Request) -> bool:
    return "text/event-stream" in request.headers.get("accept", "")


def _problem(request: Request, status: int, text: str) -> Response:
    if _wants_json(request) or _wants_stream(request):
        return Response({"status_code": status, "detail": text}, status_code=status)
    if is_htmx(request):
        return alert("error", text, status=status)
    return page(request, "error.html", status=status, status_code=status, message=text)


def login_required(request: Request, _: LoginRequired) -> Response:
    target = login_url(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    if _wants_stream(request):
        return Response("", status_code=HTTP_401_UNAUTHORIZED, media_type=MediaType.TEXT)
    if is_htmx(request):  # the whole page goes to the login, not a fragment of it
        return Response("", status_code=HTTP_401_UNAUTHORIZED, headers={"HX-Redirect": target})
    return see_other(target)


def forbidden(request: Request, exc: PermissionDeniedException) -> Response:
    text = CSRF_FAILED if "CSRF" in str(exc.detail) else FORBIDDEN
    return _problem(request, 403, text)


def registration_unavailable(request: Request, _: RegistrationUnavailable) -> Response:
    return _problem(request, HTTP_503_SERVICE_UNAVAILABLE, UNAVAILABLE)


def not_found(request: Request, exc: HTTPException) -> Response:
    if _wants_json(request):
        return Response({"status_code": 404, "detail": exc.detail}, status_code=404)
    return _problem(request, 404, NOT_FOUND)


def server_error(request: Request, exc: Exception) -> Response | Template:
    log.exception("web.unhandled_error", path=request.url.path, error=type(exc).__name__)
    return _problem(request, 500, SERVER_ERROR)


EXCEPTION_HANDLERS = {
    LoginRequired: login_required,
    PermissionDeniedException: forbidden,
    RegistrationUnavailable: registration_unavailable,
    404: not_found,
    500: server_error,
}
