"""Every field validator: what it accepts, how it normalises, and its Spanish message naming
the field."""

from __future__ import annotations

import pytest

from services.registration.domain import validators as v
from services.registration.domain.errors import InvalidFields


def rejection(check, *args) -> str:
    with pytest.raises(InvalidFields) as caught:
        check(*args)
    (problem,) = caught.value.problems
    return f"{problem.field}|{problem.message}"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1020304050", "1020304050"),
        ("1.020.304.050", "1020304050"),
        (" 79 123 456 ", "79123456"),
        ("123", "123"),
        ("1 234", "1234"),
    ],
)
def test_cedula_is_normalised_to_digits(raw: str, expected: str) -> None:
    assert v.normalise_cedula(raw) == expected


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("", "es obligatoria"),
        ("12a45", "solo puede tener dígitos"),
        ("12-345", "solo puede tener dígitos"),
        ("0123456", "no empezar por cero"),
        ("12", "entre 3 y 10"),
        ("12345678901", "entre 3 y 10"),
    ],
)
def test_malformed_cedula_is_rejected_naming_the_field(raw: str, why: str) -> None:
    message = rejection(v.normalise_cedula, raw)
    assert message.startswith("cedula|Cédula: ") and why in message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("María José Pérez", "María José Pérez"),
        ("  ana   o'neil  ", "ana o'neil"),
        ("Jean-Luc Ñúñez", "Jean-Luc Ñúñez"),
        ("D’Alessandro Ruiz", "D’Alessandro Ruiz"),
    ],
)
def test_nombre_accepts_letters_accents_apostrophes_and_hyphens(raw: str, expected: str) -> None:
    assert v.normalise_nombre(raw) == expected


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("Al", "al menos 3"),
        ("A" * 201, "no puede pasar de 200"),
        ("Pedro 2", "solo puede tener letras"),
        ("Ana_María", "solo puede tener letras"),
        ("-Ana", "solo puede tener letras"),
        ("<script>", "letras"),
    ],
)
def test_bad_nombre_is_rejected_naming_the_field(raw: str, why: str) -> None:
    message = rejection(v.normalise_nombre, raw)
    assert message.startswith("nombre|Nombre completo: ") and why in message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("3001234567", "3001234567"),
        ("+57 300 123 4567", "3001234567"),
        ("573001234567", "3001234567"),
        ("(601) 555-1234", "6015551234"),
        ("+57 604 444 5555", "6044445555"),
        ("300.123.4567", "3001234567"),
    ],
)
def test_colombian_phones_are_normalised_to_ten_digits(raw: str, expected: str) -> None:
    assert v.normalise_telefono(raw) == expected


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("", "es obligatorio"),
        ("300123456", "celular colombiano"),
        ("2001234567", "celular colombiano"),
        ("6091234567", "celular colombiano"),
        ("+1 300 123 4567", "solo puede tener dígitos"),
        ("30012345678", "celular colombiano"),
        ("tel 3001234567", "solo puede tener dígitos"),
    ],
)
def test_bad_phone_is_rejected_naming_the_field(raw: str, why: str) -> None:
    message = rejection(v.normalise_telefono, raw)
    assert message.startswith("telefono|Teléfono: ") and why in message


def test_a_reasonable_password_passes() -> None:
    v.check_password("Llanos-de-Cuivá-7", "1020304050")


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("corta1", "al menos 8"),
        ("x" * 129, "no puede pasar de 128"),
        ("1234987654", "solo números"),
        ("1020304050", "solo números"),
        ("clave1020304050", "cédula"),
        ("Colombia123", "demasiado común"),
        ("CONTRASEÑA", "demasiado común"),
    ],
)
def test_weak_password_is_rejected_naming_the_field(password: str, why: str) -> None:
    message = rejection(v.check_password, password, "1020304050")
    assert message.startswith("password|Contraseña: ") and why in message


def test_a_short_cedula_inside_a_password_is_not_a_match() -> None:
    v.check_password("Clave123x", "123")
    assert "cédula" in rejection(v.check_password, "Clave654321", "654321")


def test_password_rules_can_name_another_field() -> None:
    assert rejection(v.check_password, "corta", "123", "new_password").startswith(
        "new_password|Contraseña nueva: "
    )


def test_data_policy_must_be_accepted() -> None:
    v.check_data_policy(True)
    assert "Política de tratamiento de datos: debe aceptarla" in rejection(
        v.check_data_policy, False
    )


@pytest.mark.parametrize("goal", [1, 10, 10_000])
def test_referral_goal_within_range_passes(goal: int) -> None:
    assert v.check_referral_goal(goal) == goal


@pytest.mark.parametrize("goal", [0, -3, 10_001])
def test_referral_goal_out_of_range_is_rejected(goal: int) -> None:
    assert rejection(v.check_referral_goal, goal) == (
        "referral_goal|Meta de referidos: debe estar entre 1 y 10.000."
    )


def test_roles_are_parsed_case_insensitively_and_unknown_ones_rejected() -> None:
    assert v.parse_role(" leader ").value == "LEADER"
    assert rejection(v.parse_role, "superadmin") == "role|Rol: debe ser USER, LEADER o ADMIN."
