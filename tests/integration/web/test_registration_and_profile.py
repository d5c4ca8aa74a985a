"""Sign-up through the page (with a referral link), Perfil and the password change: each form
forwards to the registration API and shows its Spanish answers next to the fields."""

from __future__ import annotations

from collections.abc import Callable

from litestar.testing import AsyncTestClient

from tests.integration.web.support import csrf_from, csrf_token, login, post_form, register
from tests.support.accounts import PASSWORD, new_cedula


def sign_up_form(token: str, **overrides: str) -> dict[str, str]:
    return {
        "nombre": "Luisa Fernanda Ríos",
        "cedula": new_cedula(),
        "telefono": "3157778899",
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "referral_code": "",
        "data_policy_accepted": "on",
        "_csrf_token": token,
    } | overrides


async def test_a_referral_link_prefills_the_code_and_links_the_policy(
    web: AsyncTestClient,
) -> None:
    page = await web.get("/registro?ref=ab12cd34")
    assert 'name="referral_code" type="text"\n    value="AB12CD34"' in page.text or (
        'value="AB12CD34"' in page.text
    )
    assert 'href="/politica-de-datos"' in page.text
    assert "Ley 1581 de 2012" in (await web.get("/politica-de-datos")).text


async def test_the_old_portals_referral_links_still_work(web: AsyncTestClient) -> None:
    response = await web.get("/register/?ref=AB12CD34")
    assert response.status_code == 301 and response.headers["location"] == "/registro?ref=AB12CD34"


async def test_signing_up_logs_in_and_records_the_referrer(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable
) -> None:
    leader = await register(registration)
    form = sign_up_form(await csrf_token(web), referral_code=leader["referral_code"])
    response = await web.post("/registro", data=form)
    assert response.status_code == 303 and response.headers["location"] == "/inicio"
    home = await web.get("/inicio")
    assert "¡Bienvenido!" in home.text and "Hola, Luisa" in home.text
    assert "Pendiente" in home.text  # the census check has just been asked for

    await sync()
    await login(web, leader["cedula"])
    assert "<strong>1</strong> de 10 referidos" in (await web.get("/inicio")).text
    assert "Luisa Fernanda Ríos" in (await web.get("/referidos")).text


async def test_field_errors_are_shown_next_to_their_fields_in_spanish(
    web: AsyncTestClient,
) -> None:
    form = sign_up_form(
        await csrf_token(web), cedula="0123", telefono="12345", data_policy_accepted=""
    )
    response = await web.post("/registro", data=form)
    assert response.status_code == 422
    html = response.text
    for field, message in (
        ("cedula", "Cédula: debe tener entre 3 y 10 dígitos y no empezar por cero."),
        ("telefono", "Teléfono: debe ser un celular colombiano"),
        ("data_policy_accepted", "Política de tratamiento de datos: debe aceptarla"),
    ):
        error = html.split(f'id="f-{field}-error">')[1].split("</p>")[0]
        assert message in error
    assert 'value="Luisa Fernanda Ríos"' in html  # what was typed is kept


async def test_a_taken_cedula_is_said_plainly(
    web: AsyncTestClient, registration: AsyncTestClient
) -> None:
    taken = await register(registration)
    response = await web.post(
        "/registro", data=sign_up_form(await csrf_token(web), cedula=taken["cedula"])
    )
    assert response.status_code == 409
    assert "Cédula: ya existe una cuenta registrada con esta cédula." in response.text


async def test_passwords_that_differ_never_reach_the_registration_api(
    web: AsyncTestClient,
) -> None:
    form = sign_up_form(await csrf_token(web), password_confirm="Otra-Cosa-123")
    response = await web.post("/registro", data=form)
    assert response.status_code == 422 and "no coincide" in response.text


async def test_profile_changes_show_after_saving(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable
) -> None:
    user = await register(registration)
    await sync()
    await login(web, user["cedula"])
    response = await post_form(
        web,
        "/perfil",
        {
            "nombre": "María Fernanda Gómez Ríos",
            "telefono": "+57 310 000 1122",
            "referral_goal": "25",
        },
    )
    assert response.status_code == 303, response.text
    await sync()
    page = (await web.get("/perfil")).text
    assert "Perfil actualizado." in page
    assert 'value="3100001122"' in page and 'value="25"' in page
    assert "de 25 referidos" in (await web.get("/inicio")).text


async def test_profile_errors_come_back_next_to_the_field(
    web: AsyncTestClient, registration: AsyncTestClient
) -> None:
    user = await register(registration)
    await login(web, user["cedula"])
    form = {"nombre": "X", "telefono": "3100001122", "referral_goal": "0"}
    response = await post_form(web, "/perfil", form)
    assert response.status_code == 422
    assert "Nombre completo: debe tener al menos 3 caracteres." in response.text
    assert "Meta de referidos: debe estar entre 1 y 10.000." in response.text


async def test_changing_the_password_needs_the_current_one(
    web: AsyncTestClient, registration: AsyncTestClient
) -> None:
    user = await register(registration)
    await login(web, user["cedula"])
    new = "Nueva-Clave-2027"
    wrong = await post_form(
        web,
        "/contrasena",
        {"current_password": "no-es", "new_password": new, "new_password_confirm": new},
    )
    assert wrong.status_code == 422 and "Contraseña actual: no es correcta." in wrong.text
    session_before = web.cookies["censo_sesion"]
    ok = await post_form(
        web,
        "/contrasena",
        {"current_password": PASSWORD, "new_password": new, "new_password_confirm": new},
    )
    assert ok.status_code == 303 and web.cookies["censo_sesion"] != session_before
    assert (await login(web, user["cedula"], password=new)).status_code == 303


async def test_the_csrf_token_of_a_page_is_the_one_its_forms_carry(
    web: AsyncTestClient,
) -> None:
    page = await web.get("/registro")
    token = csrf_from(page.text)
    assert f'"X-CSRFToken": "{token}"' in page.text  # htmx sends it as a header
