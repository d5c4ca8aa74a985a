"""Reply bodies of the `wsp` site as captured in registraduria.md, and builders for variants."""

from __future__ import annotations

import json

from schemas.census import VotingPlace
from services.census_worker.domain.model import LookupResult
from services.census_worker.lookup.wsp.classify import classify_reply

FOUND_HTML = (
    "<div class='table-responsive'><table class='display responsive table table-bordered "
    "table-striped' id='consulta'><thead><tr><th class='text-center'>NUIP</th><th "
    "class='text-center'>DEPARTAMENTO</th><th class='text-center'>MUNICIPIO</th><th "
    "class='text-center'>PUESTO</th><th class='text-center'>DIRECCIÓN</th><th "
    "class='text-center'>MESA</th></tr></thead><tbody><tr><td data-th='NUIP'>1102812122</td><td "
    "data-th='DEPARTAMENTO'>SUCRE</td><td data-th='MUNICIPIO'>SINCELEJO</td><td "
    "data-th='PUESTO'>IE SAN JOSE C I P</td><td data-th='DIRECCIÓN'>CL 22 No. 10A-380</td><td "
    "data-th='MESA' class='text-center'><b>13</b></td></tr></tbody></table></p></div><h3><b>Señor "
    "Ciudadano:</b></h3><h4 style='font-weight: 400 !important;'>Si usted realizó su trámite de "
    "inscripción, recuerde que éste se verá reflejado una vez sea validado y se conforme el censo "
    "electoral definitivo para las elecciones de Congreso, presidente y vicepresidente de la "
    "República 2026.</h4>"
)
FIREWALL_PAGE = (
    "<html><head><title>Request Rejected</title></head><body>Lo sentimos, se presentó un evento de "
    "seguridad. Por favor comuníquese con el administrador.<br><br>Su ID de soporte es: "
    "1234567890123456789</body></html>"
)
CAPTCHA_MESSAGE = "Marque el cuadro de verificación o captcha!"
UPSTREAM_TIMEOUT_MESSAGE = (
    "Curl error: Operation timed out after 15008 milliseconds with 0 bytes received"
)
NOT_FOUND_MESSAGES = (
    "El documento consultado no se encuentra en el censo para esta elección.",
    "El documento de identidad número 1234567 no se encuentra en el censo para esta elección.",
    "El documento consultado no se encuentra en el censo electoral para esta elección.",
)


def reply(message: str, *, success: bool = True) -> str:
    return json.dumps({"success": success, "data": {"message": message}})


def table(headers: list[str], values: list[str], *, data_th: bool = True) -> str:
    """A result table like the site's, with the given headers and one row."""
    head = "".join(f"<th class='text-center'>{header}</th>" for header in headers)
    cells = "".join(
        f"<td data-th='{header}'>{value}</td>" if data_th else f"<td>{value}</td>"
        for header, value in zip(headers, values, strict=True)
    )
    return (
        f"<div class='table-responsive'><table id='consulta'><thead><tr>{head}</tr></thead>"
        f"<tbody><tr>{cells}</tr></tbody></table></div>"
    )


def novedad_table(novedad: str, *, resolucion: str = "1234", fecha: str = "15/03/2021") -> str:
    return table(
        ["NUIP", "NOVEDAD", "RESOLUCIÓN", "FECHA NOVEDAD"], ["1234567", novedad, resolucion, fecha]
    )


SINCELEJO = VotingPlace(
    departamento="SUCRE",
    municipio="SINCELEJO",
    puesto="IE SAN JOSE C I P",
    direccion="CL 22 No. 10A-380",
    mesa="13",
)


def classify(body: str | bytes | None, **kwargs: object) -> LookupResult:
    """classify_reply for the `wsp` source, asserting the reply is an answer (not a reload)."""
    result = classify_reply(body, source="wsp", **kwargs)  # type: ignore[arg-type]
    assert isinstance(result, LookupResult)
    return result
