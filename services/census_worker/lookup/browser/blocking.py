"""What a lookup never needs the browser to load: images, fonts and media (nobody looks at the
page), Google's reCAPTCHA widget (the token is solved by the captcha service and injected, so its
scripts and its iframe, which Chromium runs in a renderer process of its own, are pure cost) and
analytics. Stylesheets and the site's own scripts (jQuery may come from a CDN) always load: the
form and its submission depend on them.

Only requests matching `BLOCKED` are routed (Playwright sends the pattern to the browser side), so
everything else loads without a round trip through this process. The site's script asks
`grecaptcha` for the token at submission: with the widget's script blocked, a small stand-in
answers from the field the token is put in.
"""

from __future__ import annotations

import re

from playwright.async_api import BrowserContext, Route

_STATIC = r"\.(?:png|jpe?g|gif|webp|avif|bmp|ico|svg|woff2?|ttf|otf|eot|mp4|webm|mp3|ogg)(?:[?#]|$)"
_WIDGET_AND_ANALYTICS = (
    r"/recaptcha/|//[^/?#]*(?:gstatic\.com|recaptcha\.net|google-analytics\.com"
    r"|googletagmanager\.com|doubleclick\.net|facebook\.net|hotjar\.com)(?::\d+)?/"
)
BLOCKED = re.compile(f"{_STATIC}|{_WIDGET_AND_ANALYTICS}", re.IGNORECASE)

GRECAPTCHA_STAND_IN = """
if (!window.grecaptcha) {
  const field = () => document.getElementById("g-recaptcha-response");
  window.grecaptcha = {
    getResponse: () => (field() ? field().value : ""),
    reset: () => { const f = field(); if (f) { f.value = ""; f.innerHTML = ""; } },
    render: () => 0,
    execute: () => Promise.resolve(field() ? field().value : ""),
    ready: (callback) => { if (callback) { callback(); } },
  };
}
"""


async def block_unneeded(context: BrowserContext) -> None:
    """A context preparer: abort what BLOCKED matches; stand in for the widget's API."""
    await context.route(BLOCKED, _abort)
    await context.add_init_script(script=GRECAPTCHA_STAND_IN)


async def _abort(route: Route) -> None:
    await route.abort("blockedbyclient")
