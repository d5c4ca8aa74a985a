"""The JSON answers of `POST /back/api/consulta`, shaped as the contract records them.

`{"ok", "error"?, "encontrado", "data"?, "mapa"?, "mensaje"?, "novedad"?, "descripcion"?}`.
How a novedad splits into `mensaje` and `descripcion` is not documented (LOW): the novedad text
goes in `mensaje`, its resolución and date in `descripcion`.
"""

from __future__ import annotations

import hashlib

from ..outcome import Novedad, VotingPlace

NOT_FOUND_MESSAGE = "El documento consultado no se encuentra en el censo para esta elección."
INVALID_DOCUMENTO_ERROR = "Número de documento inválido."  # not documented: our wording
INVALID_ELECCION_ERROR = "Elección no válida."  # not documented: our wording
BAD_REQUEST_ERROR = "Solicitud inválida."  # not documented: our wording

Body = dict[str, object]


def found(cedula: str, place: VotingPlace) -> Body:
    data = {
        "nuip": cedula,
        "nom_depto": place.departamento,
        "nom_mun": place.municipio,
        "nom_puesto": place.puesto,
        "direccion": place.direccion,
        "mesa": place.mesa,
    }
    return {"ok": True, "encontrado": True, "data": data, "mapa": _mapa(place)}


def not_found() -> Body:
    return {"ok": True, "encontrado": False, "mensaje": NOT_FOUND_MESSAGE}


def novedad(entry: Novedad) -> Body:
    return {
        "ok": True,
        "encontrado": False,
        "novedad": True,
        "mensaje": entry.novedad,
        "descripcion": f"Resolución {entry.resolucion} del {entry.fecha}",
    }


def changed_page() -> Body:
    """A success in a shape nobody knows: neither `encontrado` nor `novedad`."""
    return {"ok": True, "resultado": {"estado": "HABILITADO", "version": 2}}


def failure(error: str) -> Body:
    return {"ok": False, "encontrado": False, "error": error}


def upper_keys(value: object) -> object:
    """The same JSON value with every object key upper-cased, at every depth."""
    if isinstance(value, dict):
        return {str(key).upper(): upper_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [upper_keys(item) for item in value]
    return value


def _mapa(place: VotingPlace) -> Body:
    """Made-up but stable coordinates inside Colombia; the URL is data, never loaded."""
    digest = hashlib.sha256(f"{place.municipio}|{place.puesto}".encode()).digest()
    lat = round(1.0 + digest[0] / 255 * 10, 6)
    lng = round(-77.0 + digest[1] / 255 * 5, 6)
    return {"lat": lat, "lng": lng, "url": f"https://www.google.com/maps?q={lat},{lng}"}
