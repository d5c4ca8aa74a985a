"""What handlers are given by name (Litestar's `Provide`), declared once on the app: the services
built at start-up (`bootstrap.WebServices`), the logged-in viewer and the layout of whole pages.
A handler names what it uses, e.g. `engine: NamedDependency[AsyncEngine]`."""

from __future__ import annotations

from collections.abc import Callable

from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from sqlalchemy.ext.asyncio import AsyncEngine

from services.web.adapters.event_flow import EventFlow
from services.web.adapters.projector_watch import ProjectorWatch
from services.web.adapters.registration_client import RegistrationClient
from services.web.auth.guards import provide_viewer
from services.web.auth.session_store import PostgresSessionStore
from services.web.bootstrap import web_services
from services.web.clock import Clock
from services.web.connection import AnyRequest
from services.web.entrypoints.pages.rendering import Layout
from services.web.live.hub import Hub
from services.web.metrics import WebMetrics
from services.web.settings import WebSettings


def provide_settings(state: State) -> WebSettings:
    return web_services(state).settings


def provide_engine(state: State) -> AsyncEngine:
    return web_services(state).engine


def provide_registration(state: State) -> RegistrationClient:
    return web_services(state).registration


def provide_hub(state: State) -> Hub:
    return web_services(state).hub


def provide_event_flow(state: State) -> EventFlow:
    return web_services(state).event_flow


def provide_clock(state: State) -> Clock:
    return web_services(state).clock


def provide_sessions(state: State) -> PostgresSessionStore:
    return web_services(state).sessions


def provide_projector(state: State) -> ProjectorWatch | None:
    return web_services(state).projector


def provide_metrics(state: State) -> WebMetrics:
    return web_services(state).metrics


def provide_layout(request: AnyRequest, hub: NamedDependency[Hub]) -> Layout:
    # The hub's position before the handler reads anything: a change that lands while the page
    # is being built is then replayed by its stream, never missed.
    return Layout(request, hub.last_id)


def _sync(provider: Callable[..., object]) -> Provide:
    return Provide(provider, sync_to_thread=False)  # all cheap lookups: no thread needed


DEPENDENCIES = {
    "settings": _sync(provide_settings),
    "engine": _sync(provide_engine),
    "sessions": _sync(provide_sessions),
    "registration": _sync(provide_registration),
    "hub": _sync(provide_hub),
    "event_flow": _sync(provide_event_flow),
    "clock": _sync(provide_clock),
    "viewer": _sync(provide_viewer),
    "layout": _sync(provide_layout),
    "projector": _sync(provide_projector),
    "web_metrics": _sync(provide_metrics),
}
