"""The real site's page weight (`SIM_PAGE_WEIGHT=real`): what a browser loads besides the form.

The real pages pull in stylesheets, web fonts, scripts (jQuery, Bootstrap, the site's own),
banner images and Google's reCAPTCHA script, which defines `grecaptcha` and draws its widget in
an iframe with scripts of its own. Here each is a local stand-in of about the same size and
kind: CSS and JavaScript that the browser must parse and run, PNG images of noise it must
decode (noise does not compress), font files it downloads. The reCAPTCHA stand-in is served
under another host name (`third_party_host`, the same server) so it is third-party to the page,
as Google's is. Everything is generated on first use, deterministically, and kept in memory.
"""

from __future__ import annotations

import functools
import random
import struct
import zlib
from dataclasses import dataclass
from typing import Any

from litestar import Request, Response, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

ASSETS_PATH = "/assets"
RECAPTCHA_PATH = "/recaptcha"
STYLESHEETS = ("bootstrap.min.css", "font-awesome.min.css", "estilos.css")
SCRIPTS = ("jquery.min.js", "bootstrap.min.js", "funciones.js")
IMAGES = ("logo-registraduria.png", "banner-elecciones.png", "banner-censo.png", "pie.png")
FONTS = ("fontawesome-webfont.woff2", "roboto-regular.woff2")


# What a plain static-file server (the real site's Apache) sends with a file: its modification
# date, from which browsers cache it heuristically (a tenth of its age) without revalidating.
_STATIC_FILE_HEADERS = {"Last-Modified": "Mon, 02 Jun 2025 15:04:05 GMT"}


@dataclass(frozen=True)
class Asset:
    body: bytes
    media_type: str


def _css(name: str, rules: int) -> bytes:
    fonts = "".join(
        f"@font-face{{font-family:f{i};src:url({ASSETS_PATH}/{font}) format('woff2')}}"
        for i, font in enumerate(FONTS)
    )
    fonts += "body{font-family:f1,Arial,sans-serif}h1,h2,label{font-family:f0}\n"
    body = "".join(
        f".{name.split('.')[0]}-r{n} .c{n % 97}>a:hover,.x{n}{{margin:{n % 13}px {n % 7}px;"
        f"padding:{n % 5}px;color:#{n % 0xFFFFFF:06x};font-family:f{n % len(FONTS)}}}\n"
        for n in range(rules)
    )
    return (fonts + body).encode()


def _js(name: str, functions: int, work: int) -> bytes:
    """`functions` functions to parse and compile, and `work` iterations run at load."""
    defs = "".join(
        f"function {name[:3]}{n}(a,b){{var s=0;for(var i=0;i<a;i++){{s+=(i*{n})%(b||7)}}"
        f"return s+'{name}-{n}'}}\n"
        for n in range(functions)
    )
    run = (
        f"(function(){{var t=[];for(var i=0;i<{work};i++){{t.push((i*7919)%104729)}}"
        "t.sort(function(a,b){return a-b});window.__pesoCargado=(window.__pesoCargado||0)+1})();\n"
    )
    return (defs + run).encode()


def _png(seed: int, width: int, height: int) -> bytes:
    rng = random.Random(seed)
    rows = b"".join(b"\x00" + rng.randbytes(width * 3) for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 1))
        + chunk(b"IEND", b"")
    )


_RECAPTCHA_API = """
(function(){
  // Stand-in for www.google.com/recaptcha/api.js: the widget API the site's script calls.
  var area = function(){ return document.getElementById("g-recaptcha-response"); };
  window.grecaptcha = window.grecaptcha || {
    getResponse: function(){ var a = area(); return a ? a.value : ""; },
    reset: function(){ var a = area(); if (a) { a.value = ""; a.innerHTML = ""; } },
    render: function(){ return 0; },
    execute: function(){ return Promise.resolve(""); },
    ready: function(f){ if (f) { f(); } }
  };
  var holder = document.querySelector(".g-recaptcha");
  if (holder) {
    var frame = document.createElement("iframe");
    frame.src = "%(anchor)s?k=" + encodeURIComponent(holder.getAttribute("data-sitekey") || "");
    frame.width = 304; frame.height = 78; frame.title = "reCAPTCHA";
    holder.appendChild(frame);
  }
})();
"""


@functools.cache
def assets() -> dict[str, Asset]:
    """Every stand-in by its path under ASSETS_PATH or RECAPTCHA_PATH."""
    out: dict[str, Asset] = {}
    for name, rules in zip(STYLESHEETS, (1600, 600, 250), strict=True):
        out[f"{ASSETS_PATH}/{name}"] = Asset(_css(name, rules), "text/css")
    for name, (functions, work) in zip(
        SCRIPTS, ((900, 40_000), (500, 10_000), (120, 2_000)), strict=True
    ):
        out[f"{ASSETS_PATH}/{name}"] = Asset(_js(name, functions, work), "application/javascript")
    for seed, name in enumerate(IMAGES):
        width, height = (480, 160) if seed else (240, 80)
        out[f"{ASSETS_PATH}/{name}"] = Asset(_png(seed, width, height), "image/png")
    for seed, name in enumerate(FONTS, start=100):
        out[f"{ASSETS_PATH}/{name}"] = Asset(random.Random(seed).randbytes(70_000), "font/woff2")
    anchor_js = _js("recaptcha_anchor", 2_400, 60_000)
    api = (
        _RECAPTCHA_API % {"anchor": f"{RECAPTCHA_PATH}/anchor"}
        + _js("recaptcha", 1_200, 20_000).decode()
    )
    out[f"{RECAPTCHA_PATH}/api.js"] = Asset(api.encode(), "application/javascript")
    out[f"{RECAPTCHA_PATH}/anchor.js"] = Asset(anchor_js, "application/javascript")
    out[f"{RECAPTCHA_PATH}/anchor"] = Asset(
        f'<!DOCTYPE html><html><body><div class="rc-anchor">No soy un robot</div>'
        f'<script src="{RECAPTCHA_PATH}/anchor.js"></script></body></html>'.encode(),
        "text/html; charset=utf-8",
    )
    return out


@get(
    [f"{ASSETS_PATH}/{{name:str}}", f"{RECAPTCHA_PATH}/{{name:str}}"],
    sync_to_thread=False,
    include_in_schema=False,
)
def page_asset(request: Request[Any, Any, Any], name: FromPath[str]) -> Response[bytes]:
    found = assets().get(request.url.path)
    if found is None:
        raise NotFoundException()
    return Response(found.body, media_type=found.media_type, headers=_STATIC_FILE_HEADERS)


def page_context(
    real: bool, third_party_host: str, request: Request[Any, Any, Any]
) -> dict[str, Any]:
    """What the page templates need to load the real site's weight (nothing when light)."""
    if not real:
        return {"real_weight": False}
    port = f":{request.url.port}" if request.url.port else ""
    return {
        "real_weight": True,
        "stylesheets": [f"{ASSETS_PATH}/{name}" for name in STYLESHEETS],
        "scripts": [f"{ASSETS_PATH}/{name}" for name in SCRIPTS],
        "images": [f"{ASSETS_PATH}/{name}" for name in IMAGES],
        "recaptcha_src": f"{request.url.scheme}://{third_party_host}{port}{RECAPTCHA_PATH}/api.js",
    }
