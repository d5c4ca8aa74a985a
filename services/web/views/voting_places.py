"""How «Dónde votan» is shown: the links that drill down a level, the «Cómo llegar» map link,
and the cédula as each role may read it on a witness's list."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote_plus, urlencode

from services.common.logging import mask_cedula
from services.web.auth.viewer import Viewer
from services.web.queries.voting_places import Drill

PAGE = "/puestos"
MAPS = "https://www.google.com/maps/search/?api=1&query="
LEVEL_TITLES = {
    "departamento": "Departamento",
    "municipio": "Municipio",
    "puesto": "Puesto de votación",
    "mesa": "Mesa",
}


def map_link(puesto: str, direccion: str, municipio: str, departamento: str) -> str:
    """A map search for the puesto: its name, address, town and departamento."""
    parts = (puesto, direccion, municipio, departamento)
    return MAPS + quote_plus(", ".join(part for part in parts if part))


def query(drill: Drill, **more: str) -> str:
    """The query string that keeps the drill (and the leader filter) and adds `more`."""
    values = {"lider": str(drill.leader_id) if drill.leader_id else ""}
    values |= dict(drill.chosen) | more
    return urlencode({k: v for k, v in values.items() if v})


def link(path: str, drill: Drill, **more: str) -> str:
    text = query(drill, **more)
    return f"{path}?{text}" if text else path


@dataclass(frozen=True)
class Crumb:
    label: str
    href: str


def crumbs(drill: Drill) -> list[Crumb]:
    """«Todos» and each place chosen so far, each a link to its own level (`drill` as the
    links carry it: its leader only when an admin filtered by one)."""
    top = Drill(drill.leader_id)
    trail = [Crumb("Todos", link(PAGE, top))]
    chosen: dict[str, str] = {}
    for name, value in drill.chosen:
        chosen[name] = value
        trail.append(Crumb(value, link(PAGE, top, **chosen)))
    return trail


def shown_cedula(viewer: Viewer, cedula: str) -> str:
    """Admins read the whole cédula; a leader's list (handed to witnesses) its last digits."""
    return cedula if viewer.is_admin else mask_cedula(cedula)
