"""The deterministic answer for cédulas that the data file does not list.

The SHA-256 of "registraduria-sim:<cédula>" is read as an integer `h`; `h % 100` picks the outcome:
  0-84  found (85 %): puesto `PLACES[(h // 100) % len(PLACES)]`, mesa `1 + (h // 10_000) % 40`;
  85-94 not found (10 %);
  95-97 novedad "CANCELADA POR MUERTE" (3 %);
  98-99 another novedad from `OTHER_NOVEDADES` (2 %).
Novedades get a 4-digit resolución and a dd/mm/yyyy date (2010-2025), both derived from `h`.
The same cédula always gets the same answer, so load tests with arbitrary cédulas are reproducible.
"""

from __future__ import annotations

import hashlib

from .outcome import Novedad, Outcome, OutcomeKind, VotingPlace

# (departamento, municipio, puesto, dirección) as the Registraduría writes them.
PLACES: tuple[tuple[str, str, str, str], ...] = (
    ("SUCRE", "SINCELEJO", "IE SAN JOSE C I P", "CL 22 No. 10A-380"),
    ("BOGOTA D.C.", "BOGOTA. D.C.", "CORFERIAS", "CR 37 No. 24-67"),
    ("BOGOTA D.C.", "BOGOTA. D.C.", "COLEGIO SAN BARTOLOME LA MERCED", "CR 5 No. 34-00"),
    ("ANTIOQUIA", "MEDELLIN", "IE INEM JOSE FELIX DE RESTREPO", "CR 48 No. 1-125"),
    ("ANTIOQUIA", "BELLO", "IE ATANASIO GIRARDOT", "CL 50 No. 50-25"),
    ("VALLE", "CALI", "UNIVERSIDAD DEL VALLE SEDE MELENDEZ", "CL 13 No. 100-00"),
    ("ATLANTICO", "BARRANQUILLA", "COLEGIO DE BARRANQUILLA CODEBA", "CL 53 No. 46-92"),
    ("BOLIVAR", "CARTAGENA", "IE SOLEDAD ACOSTA DE SAMPER", "CR 17 No. 29-54"),
    ("SANTANDER", "BUCARAMANGA", "COLEGIO SANTANDER", "CL 45 No. 27-57"),
    ("CORDOBA", "MONTERIA", "IE LA SALLE", "CL 27 No. 1-45"),
    ("NARIÑO", "PASTO", "IE INEM LUIS DELFIN INSUASTY", "CR 22 No. 2-110"),
    ("BOYACA", "TUNJA", "COLEGIO DE BOYACA", "CL 20 No. 9-28"),
    ("CALDAS", "MANIZALES", "INSTITUTO UNIVERSITARIO DE CALDAS", "CL 48 No. 24-50"),
    ("RISARALDA", "PEREIRA", "IE DEOGRACIAS CARDONA", "CR 7 No. 38-42"),
)

DEATH = "CANCELADA POR MUERTE"
OTHER_NOVEDADES: tuple[str, ...] = (
    "CANCELADA POR DOBLE CEDULACIÓN",
    "CANCELADA POR SUPLANTACIÓN",
    "CANCELADA POR FALSA IDENTIDAD",
    "CANCELADA POR MENORÍA DE EDAD",
    "CANCELADA POR EXTRANJERÍA",
    "BAJA POR PÉRDIDA O SUSPENSIÓN DE LOS DERECHOS POLÍTICOS",
)


def _hash(cedula: str) -> int:
    digest = hashlib.sha256(f"registraduria-sim:{cedula}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _novedad(text: str, h: int) -> Novedad:
    day, month, year = 1 + h % 28, 1 + (h // 28) % 12, 2010 + (h // 336) % 16
    return Novedad(
        novedad=text,
        resolucion=str(1000 + (h // 10_000) % 9000),
        fecha=f"{day:02d}/{month:02d}/{year}",
    )


def generated_outcome(cedula: str) -> Outcome:
    """The rule described in the module docstring; pure and deterministic."""
    h = _hash(cedula)
    bucket = h % 100
    if bucket < 85:
        departamento, municipio, puesto, direccion = PLACES[(h // 100) % len(PLACES)]
        place = VotingPlace(
            departamento=departamento,
            municipio=municipio,
            puesto=puesto,
            direccion=direccion,
            mesa=str(1 + (h // 10_000) % 40),
        )
        return Outcome(cedula=cedula, kind=OutcomeKind.FOUND, place=place)
    if bucket < 95:
        return Outcome(cedula=cedula, kind=OutcomeKind.NOT_FOUND)
    text = DEATH if bucket < 98 else OTHER_NOVEDADES[(h // 100) % len(OTHER_NOVEDADES)]
    return Outcome(cedula=cedula, kind=OutcomeKind.NOVEDAD, novedad=_novedad(text, h >> 20))
