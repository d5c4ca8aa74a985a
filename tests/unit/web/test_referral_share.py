"""Sharing a referral link: the WhatsApp message and the QR code, without a server."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import segno

from services.web.views.referral_share import qr_png, qr_svg, whatsapp_url

LINK = "https://censo.example.co/registro?ref=AB12CD34"


def test_the_whatsapp_link_carries_the_spanish_message_with_the_whole_link() -> None:
    url = whatsapp_url(LINK)
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc) == ("https", "wa.me")
    text = parse_qs(parts.query)["text"][0]
    assert text.startswith("Hola, lo invito a registrarse") and text.endswith(LINK)
    assert "&ref=" not in url and "?ref=" not in url  # the link's own query stays inside text


def test_the_qr_code_encodes_exactly_the_link() -> None:
    assert qr_svg(LINK) == _svg_of(LINK)
    assert qr_svg(LINK) != _svg_of(LINK + "X")


def test_the_svg_is_well_formed_and_has_no_script() -> None:
    svg = qr_svg(LINK)
    root = ElementTree.fromstring(svg)
    assert root.tag.endswith("svg")
    assert b"<script" not in svg and b"javascript:" not in svg


def test_the_png_is_a_png() -> None:
    assert qr_png(LINK).startswith(b"\x89PNG\r\n\x1a\n")


def _svg_of(link: str) -> bytes:
    out = io.BytesIO()
    segno.make(link, error="m").save(
        out, kind="svg", scale=8, border=4, dark="#1f2933", title="Enlace de referido"
    )
    return out.getvalue()
