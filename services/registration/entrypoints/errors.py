"""Domain failures and request-parsing failures as JSON answers: `detail` is a Spanish sentence for
the user, `errors` lists each field with its own message."""

from __future__ import annotations

from typing import Any

import asyncpg
import structlog
from litestar import MediaType, Request, Response
from litestar.exceptions import ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.types import ExceptionHandlersMap
from pydantic import BaseModel
from sqlalchemy import exc as sa

from services.registration.domain import errors as e
from services.registration.domain.last_admin import LAST_ADMIN_MESSAGE

log = structlog.get_logger(__name__)
AnyRequest = Request[Any, Any, Any]
Answer = Response[dict[str, object]]
DATABASE_DOWN = (
    "El servicio de registro no está disponible en este momento (sin conexión con la base de "
    "datos). No se guardó nada; intente de nuevo en unos minutos."
)
DATABASE_RETRY_AFTER_S = 5
DISABLED = "Esta cuenta está desactivada. Comuníquese con la campaña."
ACCOUNT_DELETED = "Esta cuenta fue eliminada: sus datos ya no existen y no se puede modificar."
RESET_LINK_INVALID = (
    "Este enlace para restablecer la contraseña ya no es válido. Pida a la campaña uno nuevo."
)


class FieldProblemOut(BaseModel):
    field: str
    message: str


class ProblemOut(BaseModel):
    """Every error answer: `detail` is a Spanish sentence for the user, `errors` one per field."""

    status_code: int
    detail: str
    errors: list[FieldProblemOut] = []


_WHEN = {
    401: "Service token missing or wrong, unknown X-Actor-Id, or wrong credentials.",
    403: "The acting user may not do this, or their account is disabled.",
    404: "No such user (or claim).",
    409: "The cédula is already registered, the change would leave no active ADMIN, or the "
    "claim can no longer be decided so.",
    410: "The reset link is unknown, expired, used or replaced (which one is not said).",
    422: "Invalid fields, each named in `errors`.",
    429: "Too many attempts: retry after `Retry-After` seconds.",
    503: "The database is unreachable; nothing was stored: retry after `Retry-After` seconds.",
}


def documented(*statuses: int) -> dict[int, ResponseSpec]:
    """The error answers of a route for its OpenAPI document, plus those every /api route can
    give (401: the service token; 503: the database)."""
    return {
        status: ResponseSpec(ProblemOut, generate_examples=False, description=_WHEN[status])
        for status in sorted({401, 503, *statuses})
    }


_ANSWERS: dict[type[e.RegistrationError], tuple[int, str, str | None]] = {
    e.CedulaAlreadyRegistered: (
        409,
        "Cédula: ya existe una cuenta registrada con esta cédula.",
        "cedula",
    ),
    e.NotPermitted: (403, "No tiene permiso para esta acción.", None),
    e.UserNotFound: (404, "Usuario: no existe.", "user_id"),
    e.InvalidCredentials: (401, "Cédula o contraseña incorrectas.", None),
    e.UnknownActor: (401, "Usuario: la cuenta que hace la solicitud no existe.", None),
    e.AccountDisabled: (403, DISABLED, None),
    e.LastActiveAdmin: (409, LAST_ADMIN_MESSAGE, None),
    e.ResetLinkInvalid: (410, RESET_LINK_INVALID, None),
    e.AccountDeleted: (410, ACCOUNT_DELETED, None),
    e.ClaimNotFound: (404, "Reclamo: no existe.", "claim_id"),
}

# Pydantic's English messages (as Litestar passes them on) → what to tell the user.
_PARSE_MESSAGES = (
    ("Field required", "es obligatorio."),
    ("Extra inputs", "no es un campo de este formulario."),
    ("valid string", "debe ser texto."),
    ("valid integer", "debe ser un número entero."),
    ("valid boolean", "debe ser verdadero o falso."),
    ("UUID", "debe ser un identificador válido."),
    ("valid list", "debe ser una lista."),
    ("Input should be", "tiene un valor no permitido."),
)


def _body(
    status: int, problems: list[e.FieldProblem], detail: str | None = None
) -> dict[str, object]:
    return {
        "status_code": status,
        "detail": detail or problems[0].message,
        "errors": [{"field": p.field, "message": p.message} for p in problems],
    }


def domain_error(_: AnyRequest, exc: e.RegistrationError) -> Answer:
    headers = {}
    if isinstance(exc, e.InvalidFields):
        status, content = 422, _body(422, exc.problems)
    elif isinstance(exc, e.ClaimNotResolvable):  # its message says why
        status, content = 409, _body(409, [], str(exc))
    elif isinstance(exc, e.Throttled):
        status, headers = 429, {"Retry-After": str(exc.retry_after_s)}
        content = _body(429, [], str(exc)) | {"retry_after_s": exc.retry_after_s}
    else:
        status, message, field = _ANSWERS[type(exc)]
        content = _body(status, [e.FieldProblem(field, message)] if field else [], message)
    return Response(content, status_code=status, headers=headers, media_type=MediaType.JSON)


def parse_error(_: AnyRequest, exc: ValidationException) -> Answer:
    problems = [_translate(item) for item in (exc.extra or []) if isinstance(item, dict)]
    if not problems:
        problems = [
            e.FieldProblem("body", "La solicitud no es un JSON válido para este formulario.")
        ]
    return Response(_body(422, problems), status_code=422, media_type=MediaType.JSON)


def _translate(item: dict[str, object]) -> e.FieldProblem:
    field = str(item.get("key") or "body").split(".")[0]
    english = str(item.get("message", ""))
    why = next(
        (spanish for marker, spanish in _PARSE_MESSAGES if marker in english), "no es válido."
    )
    return e.FieldProblem(field, f"{e.label(field)}: {why}")


def database_error(request: AnyRequest, exc: Exception) -> Answer:
    """The database cannot be reached (refused, cut mid-query, starting, pool exhausted): 503
    in Spanish, so the caller can say so and try again; the transaction was rolled back."""
    if isinstance(exc, sa.DBAPIError) and not _lost_connection(exc):
        log.exception("registration.database_error", path=request.url.path)
        content = _body(500, [], "Error interno del servicio de registro.")
        return Response(content, status_code=500, media_type=MediaType.JSON)
    log.warning("registration.database_unavailable", path=request.url.path, error=repr(exc))
    return Response(
        _body(503, [], DATABASE_DOWN),
        status_code=503,
        headers={"Retry-After": str(DATABASE_RETRY_AFTER_S)},
        media_type=MediaType.JSON,
    )


def _lost_connection(exc: sa.DBAPIError) -> bool:
    return exc.connection_invalidated or isinstance(exc, sa.OperationalError | sa.InterfaceError)


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    e.RegistrationError: domain_error,
    ValidationException: parse_error,
    # Connection failures surface as any of these, depending on when the database went away.
    OSError: database_error,
    asyncpg.exceptions.OperatorInterventionError: database_error,
    asyncpg.exceptions.ConnectionDoesNotExistError: database_error,
    sa.DBAPIError: database_error,
    sa.TimeoutError: database_error,
}
