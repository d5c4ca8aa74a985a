"""The bodies the site sends: result HTML for `#success`, messages, and its non-JSON error pages.

The found table reproduces the captured body byte for byte (single quotes, stray `</p>` included).
"""

from __future__ import annotations

from html import escape

from .outcome import Novedad, VotingPlace

CAPTCHA_MESSAGE = "Marque el cuadro de verificación o captcha!"
# What a redesigned site might answer: a success in a layout no reader of the worker knows.
CHANGED_PAGE_MESSAGE = (
    '<section class="consulta-v2"><h2>Resultado</h2>'
    "<dl><dt>Estado</dt><dd>Habilitado</dd></dl></section>"
)
CAPTCHA_MISSING_MESSAGE = "Marque el cuadro de verificación (Captcha: No soy un robot)"
UPSTREAM_TIMEOUT_MESSAGE = (
    "Curl error: Operation timed out after 15008 milliseconds with 0 bytes received"
)
INVALID_NUIP_MESSAGE = "Digite un número de documento válido."  # not documented: our wording
INVALID_TIPO_MESSAGE = "Seleccione un tipo de consulta válido."  # not documented: our wording
NOT_FOUND_TEMPLATE = (
    "El documento de identidad número {nuip} no se encuentra en el censo para esta elección."
)

_TABLE_OPEN = (
    "<div class='table-responsive'><table class='display responsive table table-bordered "
    "table-striped' id='consulta'><thead><tr>"
)
_TABLE_CLOSE = "</tr></tbody></table></p></div>"
_CITIZEN_NOTE = (
    "<h3><b>Señor Ciudadano:</b></h3><h4 style='font-weight: 400 !important;'>Si usted realizó "
    "su trámite de inscripción, recuerde que éste se verá reflejado una vez sea validado y se "
    "conforme el censo electoral definitivo para las elecciones de Congreso, presidente y "
    "vicepresidente de la República 2026.</h4>"
)


def _table(cells: list[tuple[str, str]], last_cell_centered_bold: bool = False) -> str:
    head = "".join(f"<th class='text-center'>{header}</th>" for header, _ in cells)
    body = []
    for index, (header, value) in enumerate(cells):
        if last_cell_centered_bold and index == len(cells) - 1:
            body.append(f"<td data-th='{header}' class='text-center'><b>{escape(value)}</b></td>")
        else:
            body.append(f"<td data-th='{header}'>{escape(value)}</td>")
    return f"{_TABLE_OPEN}{head}</tr></thead><tbody><tr>{''.join(body)}{_TABLE_CLOSE}"


def found_html(nuip: str, place: VotingPlace) -> str:
    cells = [
        ("NUIP", nuip),
        ("DEPARTAMENTO", place.departamento),
        ("MUNICIPIO", place.municipio),
        ("PUESTO", place.puesto),
        ("DIRECCIÓN", place.direccion),
        ("MESA", place.mesa),
    ]
    return _table(cells, last_cell_centered_bold=True) + _CITIZEN_NOTE


def novedad_html(nuip: str, novedad: Novedad) -> str:
    cells = [
        ("NUIP", nuip),
        ("NOVEDAD", novedad.novedad),
        ("RESOLUCIÓN", novedad.resolucion),
        ("FECHA NOVEDAD", novedad.fecha),
    ]
    return _table(cells)


def not_found_message(nuip: str) -> str:
    return NOT_FOUND_TEMPLATE.format(nuip=nuip)


def firewall_page(support_id: str) -> str:
    """The F5 BIG-IP block page, in the Registraduría's Spanish wording."""
    return (
        "<html><head><title>Solicitud rechazada</title></head><body>"
        "<p>Lo sentimos, se presentó un evento de seguridad y su solicitud fue rechazada.</p>"
        f"<p>Su número de soporte es: {escape(support_id)}</p>"
        "<p><a href='javascript:history.back();'>[Regresar]</a></p></body></html>"
    )


SERVER_ERROR_PAGE = (
    '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN"><html><head><title>500 Internal Server '
    "Error</title></head><body><h1>Internal Server Error</h1><p>The server encountered an internal "
    "error or misconfiguration and was unable to complete your request.</p></body></html>"
)
GATEWAY_TIMEOUT_PAGE = (
    "<html><head><title>504 Gateway Time-out</title></head><body><center><h1>504 Gateway "
    "Time-out</h1></center></body></html>"
)
