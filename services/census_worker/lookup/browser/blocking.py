"""What a lookup never needs the browser to load: images, fonts and media (nobody looks at the
page), Google's reCAPTCHA widget (the token is solved by the captcha service and injected, so its
scripts and its iframe, which Chromium runs in a renderer process of its own, are pure cost) and
analytics. Stylesheets and the site's own scripts (jQuery may come from a CDN) always load: the
form and its submission depend on them.

The page's CDP session tells Chromium's network layer the URL patterns to refuse
(`Network.setBlockedURLs`): no request crosses to Playwright's driver or to this process. A
Playwright `route` would pause *every* request of the page for a driver round trip (its
interception matches `*`) and switch the page's HTTP cache off. The site's script asks
`grecaptcha` for the token at submission: with the widget's script blocked, a small stand-in
answers from the field the token is put in.
"""

from __future__ import annotations

from playwright.async_api import BrowserContext, CDPSession

# Chromium matches these with `*` (any run) and `?` (any one character) over the whole URL.
_IMAGES = ("png", "jpg", "jpeg", "gif", "webp", "avif", "bmp", "ico", "svg")
_FONTS_AND_MEDIA = ("woff", "woff2", "ttf", "otf", "eot", "mp4", "webm", "mp3", "ogg")
_ANALYTICS = ("google-analytics.com", "googletagmanager.com", "doubleclick.net", "facebook.net")
_THIRD_PARTY = ("gstatic.com", "recaptcha.net", "hotjar.com", *_ANALYTICS)
BLOCKED_URLS = (
    *(pattern for ext in (*_IMAGES, *_FONTS_AND_MEDIA) for pattern in (f"*.{ext}", f"*.{ext}?*")),
    "*/recaptcha/*",
    *(f"*://*{host}/*" for host in _THIRD_PARTY),
    *(f"*://*{host}:*" for host in _THIRD_PARTY),
)

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


async def stand_in_for_widget(context: BrowserContext) -> None:
    """A context preparer: the widget's API for the site's script, its own script blocked."""
    await context.add_init_script(script=GRECAPTCHA_STAND_IN)


async def block_unneeded(session: CDPSession) -> None:
    """Refuse BLOCKED_URLS in the page of `session` (its network domain is enabled for that)."""
    await session.send("Network.enable")
    await session.send("Network.setBlockedURLs", {"urls": list(BLOCKED_URLS)})
