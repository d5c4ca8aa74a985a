"""Inicio shares the referral link by WhatsApp and as a QR code of exactly that link, as SVG on
the page and as SVG or PNG to download; nobody gets a code without logging in."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from litestar.testing import AsyncTestClient

from services.web.views.referral_share import qr_png, qr_svg, whatsapp_url
from tests.integration.web.support import login, register


async def test_inicio_offers_whatsapp_and_the_qr_code_of_the_viewers_own_link(
    web: AsyncTestClient, registration: AsyncTestClient, sync: Callable[[], Awaitable[object]]
) -> None:
    person = await register(registration)
    await sync()
    await login(web, person["cedula"])
    link = f"https://censo.example.co/registro?ref={person['referral_code']}"

    home = (await web.get("/inicio")).text
    assert f'href="{whatsapp_url(link)}"' in home
    assert 'src="/inicio/enlace.svg"' in home

    svg = await web.get("/inicio/enlace.svg")
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.content == qr_svg(link)
    assert "content-disposition" not in svg.headers

    png = await web.get("/inicio/enlace.png?descargar=1")
    assert png.status_code == 200 and png.content == qr_png(link)
    expected = f'attachment; filename="enlace-referido-{person["referral_code"]}.png"'
    assert png.headers["content-disposition"] == expected


async def test_the_qr_code_needs_a_login(web: AsyncTestClient) -> None:
    web.cookies.clear()
    for kind in ("svg", "png"):
        response = await web.get(f"/inicio/enlace.{kind}", follow_redirects=False)
        assert response.status_code in (302, 303) and "/ingresar" in response.headers["location"]
