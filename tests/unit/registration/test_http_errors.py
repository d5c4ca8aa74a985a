"""Parsing failures become 422 answers naming the field in Spanish."""

from __future__ import annotations

from services.registration.entrypoints.errors import _translate


def test_missing_field_is_named_in_spanish() -> None:
    problem = _translate({"message": "Field required", "key": "telefono"})
    assert (problem.field, problem.message) == ("telefono", "Teléfono: es obligatorio.")


def test_wrong_type_is_explained() -> None:
    assert _translate({"message": "Input should be a valid string", "key": "cedula"}).message == (
        "Cédula: debe ser texto."
    )
    assert _translate(
        {"message": "Input should be a valid UUID, invalid character", "key": "user_ids.3"}
    ).message == ("Usuarios: debe ser un identificador válido.")
