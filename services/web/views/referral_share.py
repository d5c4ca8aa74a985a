"""Sharing a referral link the way people do: a WhatsApp message and a QR code to print or show.

The QR code is made here (segno: pure Python, no image library) as SVG for the page and for
printing at any size, and as PNG for phones and chat apps.
"""

from __future__ import annotations

import io

import segno

from services.web.views.whatsapp import share_url

WHATSAPP_MESSAGE = "Hola, lo invito a registrarse en nuestra campaña con mi enlace: {link}"
QR_DARK = "#1f2933"


def whatsapp_url(link: str) -> str:
    return share_url(WHATSAPP_MESSAGE.format(link=link))


def qr_svg(link: str) -> bytes:
    out = io.BytesIO()
    code = segno.make(link, error="m")
    code.save(out, kind="svg", scale=8, border=4, dark=QR_DARK, title="Enlace de referido")
    return out.getvalue()


def qr_png(link: str) -> bytes:
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="png", scale=10, border=4, dark=QR_DARK)
    return out.getvalue()
