"""The headers every response of the web service carries: a Content-Security-Policy with no inline
script (scripts come from /static only; styles too, except the `style` attribute the progress
bars set), no framing, no MIME sniffing, no referrer outside the site, and HSTS behind TLS."""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import BeforeMessageSendHookHandler, Message, Scope

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",  # a progress bar's width; never a <style> or a script
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",  # htmx requests and the live stream
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",  # referral links carry codes: never to another site
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
HSTS = "max-age=31536000"


def security_headers(behind_tls: bool) -> BeforeMessageSendHookHandler:
    """The before-send hook: `behind_tls` (secure cookies on) adds Strict-Transport-Security."""
    extra = {"Strict-Transport-Security": HSTS} if behind_tls else {}

    async def add(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = MutableScopeHeaders.from_message(message)
        for name, value in (HEADERS | extra).items():
            if name not in headers:
                headers[name] = value

    return add
