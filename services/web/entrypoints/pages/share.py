"""The viewer's referral link as a QR code: SVG shown on Inicio, SVG or PNG to download."""

from __future__ import annotations

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import FromQuery

from services.web.auth.viewer import Viewer
from services.web.entrypoints.pages.home import referral_link
from services.web.settings import WebSettings
from services.web.views.referral_share import qr_png, qr_svg

_KINDS = {"svg": (qr_svg, "image/svg+xml"), "png": (qr_png, "image/png")}


def _qr(kind: str, settings: WebSettings, viewer: Viewer, download: str) -> Response[bytes]:
    make, media_type = _KINDS[kind]
    headers = {"Cache-Control": "private, max-age=3600"}
    if download:
        name = f"enlace-referido-{viewer.referral_code}.{kind}"
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return Response(make(referral_link(settings, viewer)), media_type=media_type, headers=headers)


@get("/inicio/enlace.svg", name="referral_qr_svg", include_in_schema=False, sync_to_thread=False)
def referral_qr_svg(
    viewer: NamedDependency[Viewer],
    settings: NamedDependency[WebSettings],
    descargar: FromQuery[str] = "",
) -> Response[bytes]:
    return _qr("svg", settings, viewer, descargar)


@get("/inicio/enlace.png", name="referral_qr_png", include_in_schema=False, sync_to_thread=False)
def referral_qr_png(
    viewer: NamedDependency[Viewer],
    settings: NamedDependency[WebSettings],
    descargar: FromQuery[str] = "",
) -> Response[bytes]:
    return _qr("png", settings, viewer, descargar)


SHARE_HANDLERS = [referral_qr_svg, referral_qr_png]
