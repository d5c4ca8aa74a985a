"""App factory of the web service: the Litestar app with its pages, guard, sessions, CSRF,
templates, static files and the dependencies its handlers receive; the services those are built
from, and what runs alongside the pages, come to life in `bootstrap.py` at start-up."""

from __future__ import annotations

import secrets
from pathlib import Path

import httpx
import structlog
from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.exceptions import ImproperlyConfiguredException
from litestar.handlers import HTTPRouteHandler
from litestar.routes import HTTPRoute
from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler

from services.common.forwarded import forwarded_middleware
from services.common.log_context import LoggingPlugin
from services.web.auth.guards import check_access, missing_rules
from services.web.auth.session_backend import SESSION_COOKIE, RotatingSessionConfig
from services.web.auth.session_store import PostgresSessionStore
from services.web.bootstrap import web_lifespan
from services.web.entrypoints.api import CensusApi
from services.web.entrypoints.dependencies import DEPENDENCIES
from services.web.entrypoints.errors import EXCEPTION_HANDLERS
from services.web.entrypoints.health import OPS_HANDLERS, health
from services.web.entrypoints.pages import PAGE_HANDLERS
from services.web.entrypoints.sse import live_events
from services.web.metrics import WebMetrics
from services.web.security_headers import security_headers
from services.web.settings import WebSettings
from services.web.templating import template_config

STATIC = Path(__file__).parent / "static"
CSRF_COOKIE = "censo_csrf"
CSRF_HEADER = "x-csrftoken"
# Litestar searches these patterns anywhere in the path: anchored, so that no page whose path merely
# contains one of them ever goes without a session or CSRF.
NO_SESSION_PATHS = ["^/static/", "^/health(/live|/ready)?$", "^/metrics$", "^/api/"]
log = structlog.get_logger(__name__)

# The JSON routes: docs/openapi/web.json documents them (`make contracts`); pages are HTML.
API_HANDLERS: list[ControllerRouterHandler] = [health, CensusApi]


def session_secret(settings: WebSettings) -> str:
    secret = settings.session_secret.get_secret_value()
    if secret:
        return secret
    if settings.environment == "production":
        raise ImproperlyConfiguredException("WEB_SESSION_SECRET is required in production")
    log.warning("web.session_secret_generated", hint="set WEB_SESSION_SECRET; forms die on restart")
    return secrets.token_urlsafe(32)


def refuse_missing_production_secrets(settings: WebSettings) -> None:
    """In production a missing registration token is a start-up error, not a dashboard whose every
    command the registration API refuses."""
    if settings.environment == "production" and not (
        settings.registration_service_token.get_secret_value()
    ):
        raise ImproperlyConfiguredException("REGISTRATION_SERVICE_TOKEN is required in production")


def refuse_insecure_production_cookies(settings: WebSettings) -> None:
    """In production the session and CSRF cookies travel over HTTPS only."""
    if settings.environment == "production" and not settings.secure_cookies:
        raise ImproperlyConfiguredException(
            "WEB_SECURE_COOKIES must be on in production (the site is served over HTTPS)"
        )


def create_app(
    settings: WebSettings | None = None, registration_http: httpx.AsyncClient | None = None
) -> Litestar:
    settings = settings or WebSettings()
    refuse_missing_production_secrets(settings)
    refuse_insecure_production_cookies(settings)
    sessions = PostgresSessionStore()
    metrics = WebMetrics()
    session_config = RotatingSessionConfig(
        key=SESSION_COOKIE,
        max_age=settings.remember_me_days * 86_400,
        browser_session_idle_s=settings.browser_session_idle_s,
        secure=settings.secure_cookies,
        httponly=True,
        samesite="lax",
        exclude=NO_SESSION_PATHS,
    )
    csrf = CSRFConfig(
        secret=session_secret(settings),
        cookie_name=CSRF_COOKIE,
        header_name=CSRF_HEADER,
        cookie_secure=settings.secure_cookies,
        cookie_httponly=True,  # pages carry the token; scripts never read the cookie
        cookie_samesite="lax",
        exclude=NO_SESSION_PATHS,
    )
    app = Litestar(
        route_handlers=[
            *API_HANDLERS,
            *OPS_HANDLERS,
            *PAGE_HANDLERS,
            live_events,
            create_static_files_router("/static", [STATIC], name="static"),
        ],
        lifespan=[web_lifespan(settings, sessions, metrics, registration_http)],
        guards=[check_access],
        dependencies=DEPENDENCIES,
        stores={"sessions": sessions},
        # The client and scheme as trusted proxies say first: limits, logs and metrics see them.
        middleware=[
            forwarded_middleware(settings.proxies),
            metrics.middleware,
            session_config.middleware,
        ],
        plugins=[LoggingPlugin()],
        before_send=[security_headers(behind_tls=settings.secure_cookies)],
        csrf_config=csrf,
        template_config=template_config(),
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=None,
    )
    unguarded = missing_rules({route.name or "" for route in route_handlers(app)})
    if unguarded:
        raise ImproperlyConfiguredException(f"routes without an access rule: {sorted(unguarded)}")
    return app


def route_handlers(app: Litestar) -> list[HTTPRouteHandler]:
    """Every route handler of the app (what the access table must cover: all HTTP, the live
    stream included), without the OPTIONS handlers Litestar adds by itself (nameless, so the
    guard refuses them)."""
    return [
        handler
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for handler in route.route_handlers
        if handler.name or handler.http_methods != {"OPTIONS"}
    ]
