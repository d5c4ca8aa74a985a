"""Logging in and out: a new session id at login, «Recordarme» for 14 days or a browser session,
cookie flags, CSRF on every form, one Spanish message for wrong credentials, the lockout."""

from __future__ import annotations

import re

from litestar.testing import AsyncTestClient

from tests.integration.web.support import csrf_from, csrf_token, login, register
from tests.support.accounts import PASSWORD

SESSION = "censo_sesion"


def session_cookie_header(response) -> str:  # type: ignore[no-untyped-def]
    headers = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{SESSION}=")]
    assert headers, f"no session cookie in {response.headers}"
    return headers[-1]


async def test_login_goes_home_with_a_new_session_id(
    web: AsyncTestClient, registration: AsyncTestClient
) -> None:
    user = await register(registration)
    first = await login(web, user["cedula"])
    assert first.status_code == 303 and first.headers["location"] == "/inicio"
    first_id = web.cookies[SESSION]

    token = csrf_from((await web.get("/inicio")).text)  # same browser, logging in again
    again = await web.post(
        "/ingresar", data={"cedula": user["cedula"], "password": PASSWORD, "_csrf_token": token}
    )
    assert again.status_code == 303
    assert web.cookies[SESSION] != first_id

    web.cookies.set(SESSION, first_id, domain="web.test")  # the old id is worth nothing now
    assert (await web.get("/inicio")).status_code == 303


async def test_a_planted_session_id_is_replaced_at_login(
    web: AsyncTestClient, registration: AsyncTestClient
) -> None:
    user = await register(registration)
    token = await csrf_token(web)
    planted = "f" * 64
    web.cookies.set(SESSION, planted, domain="web.test")
    response = await web.post(
        "/ingresar", data={"cedula": user["cedula"], "password": PASSWORD, "_csrf_token": token}
    )
    assert response.status_code == 303
    assert web.cookies[SESSION] != planted


async def test_remember_me_lasts_14_days(
    web: AsyncTestClient, registration: AsyncTestClient
) -> None:
    user = await register(registration)
    header = session_cookie_header(await login(web, user["cedula"], remember=True)).lower()
    assert "max-age=1209600" in header
    assert "httponly" in header and "samesite=lax" in header and "secure" not in header


async def test_without_remember_me_the_session_ends_with_the_browser(
    web: AsyncTestClient, registration: AsyncTestClient
) -> None:
    user = await register(registration)
    header = session_cookie_header(await login(web, user["cedula"])).lower()
    assert "max-age" not in header and "expires" not in header
    assert "httponly" in header


async def test_wrong_password_and_unknown_cedula_get_the_same_spanish_message(
    web: AsyncTestClient, registration: AsyncTestClient
) -> None:
    user = await register(registration)
    wrong = await login(web, user["cedula"], password="Otra-Clave-99")
    unknown = await login(web, "9876543210")
    assert wrong.status_code == unknown.status_code == 401
    assert "Cédula o contraseña incorrectas." in wrong.text
    assert "Cédula o contraseña incorrectas." in unknown.text
    assert SESSION not in web.cookies


async def test_too_many_failures_show_a_lockout_message_not_an_error_page(
    web: AsyncTestClient, registration: AsyncTestClient
) -> None:
    user = await register(registration)
    for _ in range(5):
        await login(web, user["cedula"], password="Otra-Clave-99")
    locked = await login(web, user["cedula"])
    assert locked.status_code == 429
    assert "demasiados intentos fallidos" in locked.text
    assert re.search(r"Podrá intentarlo de nuevo en (2\d|30) s", locked.text)  # a short wait
    assert 'name="cedula"' in locked.text  # still the login form


async def test_logout_ends_the_session(web: AsyncTestClient, registration: AsyncTestClient) -> None:
    user = await register(registration)
    await login(web, user["cedula"])
    session_id = web.cookies[SESSION]
    token = csrf_from((await web.get("/inicio")).text)
    response = await web.post("/salir", data={"_csrf_token": token})
    assert response.status_code == 303 and response.headers["location"] == "/ingresar?salida=true"
    web.cookies.set(SESSION, session_id, domain="web.test")
    assert (await web.get("/inicio")).status_code == 303
    assert "Sesión cerrada" in (await web.get("/ingresar?salida=true")).text


async def test_a_form_without_its_csrf_token_is_refused(
    web: AsyncTestClient, registration: AsyncTestClient
) -> None:
    user = await register(registration)
    await login(web, user["cedula"])
    response = await web.post("/perfil", data={"nombre": "Otro Nombre"})
    assert response.status_code == 403
    assert "El formulario caducó o no es válido" in response.text
    forged = await web.post(
        "/censo/" + user["id"] + "/actualizar", headers={"X-CSRFToken": "0" * 128}
    )
    assert forged.status_code == 403


async def test_after_login_only_a_local_address_is_followed(
    web: AsyncTestClient, registration: AsyncTestClient
) -> None:
    user = await register(registration)
    token = await csrf_token(web)
    for target, expected in (
        ("/referidos?pagina=2", "/referidos?pagina=2"),
        ("//evil.example", "/inicio"),
    ):
        web.cookies.delete(SESSION)
        response = await web.post(
            "/ingresar",
            data={
                "cedula": user["cedula"],
                "password": PASSWORD,
                "next": target,
                "_csrf_token": token,
            },
        )
        assert response.headers["location"] == expected


async def test_a_logged_in_user_on_the_login_page_goes_home(
    web: AsyncTestClient, registration: AsyncTestClient
) -> None:
    user = await register(registration)
    await login(web, user["cedula"])
    assert (await web.get("/ingresar")).headers["location"] == "/inicio"
