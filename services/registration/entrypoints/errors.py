"""Domain failures and request-parsing failures as JSON answers: `detail` is a Spanish sentence for
the user, `errors` lists each field with its own message."""

from __future__ import annotations

from litestar import MediaType, Request, Response
from litestar.exceptions import ValidationException

from services.registration.domain import errors as e

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


def domain_error(_: Request, exc: e.RegistrationError) -> Response:
    headers = {}
    if isinstance(exc, e.InvalidFields):
        status, content = 422, _body(422, exc.problems)
    elif isinstance(exc, e.Throttled):
        status, headers = 429, {"Retry-After": str(exc.retry_after_s)}
        content = _body(429, [], str(exc)) | {"retry_after_s": exc.retry_after_s}
    else:
        status, message, field = _ANSWERS[type(exc)]
        content = _body(status, [e.FieldProblem(field, message)] if field else [], message)
    return Response(content, status_code=status, headers=headers, media_type=MediaType.JSON)


def parse_error(_: Request, exc: ValidationException) -> Response:
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


EXCEPTION_HANDLERS = {e.RegistrationError: domain_error, ValidationException: parse_error}
