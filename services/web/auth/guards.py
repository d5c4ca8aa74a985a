"""The one guard every route passes: it reads the route's level from `ROUTE_ACCESS` and the viewer
from the session and the read model. Anonymous visitors go to the login page; the wrong role gets
403. The viewer it finds is kept on the connection for the handler (`provide_viewer`)."""

from __future__ import annotations

import structlog
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from services.web.auth.password_change import check_password_changed
from services.web.auth.roles import ROUTE_ACCESS, Access, role_allows
from services.web.auth.viewer import Viewer, end_session, session_viewer
from services.web.bootstrap import web_services
from services.web.connection import AnyConnection
from services.web.queries.accounts import account_row

log = structlog.get_logger(__name__)
FORBIDDEN = "No tiene permiso para ver esta página o hacer esta acción."


class LoginRequired(NotAuthorizedException):
    """No session: pages answer with a redirect to the login page."""


def access_of(handler: BaseRouteHandler) -> Access | None:
    return ROUTE_ACCESS.get(handler.name or "")


async def load_viewer(connection: AnyConnection) -> Viewer | None:
    """The session's user, refreshed from the read model (role changes apply at once). A session
    of an account the read model shows disabled ends here, whenever it was made: one started by
    a login that raced the disabling, or by a request in flight while the projector ended the
    others."""
    if "viewer" in connection.state:
        return _viewer_or_none(connection.state.viewer)
    viewer = session_viewer(connection)
    if viewer is not None:
        # A guard takes no dependencies: the engine comes from the started services.
        async with web_services(connection.app.state).engine.connect() as conn:
            row = await account_row(conn, viewer.user_id)
        if row is not None and row.disabled_at is not None:
            log.info("web.disabled_account_session_ended", user_id=str(viewer.user_id))
            end_session(connection)
            viewer = None
        else:
            viewer = viewer.with_account(row) if row is not None else viewer
    connection.state.viewer = viewer
    return viewer


async def check_access(connection: AnyConnection, handler: BaseRouteHandler) -> None:
    access = access_of(handler)
    if access is None:
        log.error("web.route_without_access_rule", route=handler.name, path=connection.url.path)
        raise PermissionDeniedException(FORBIDDEN)
    if access <= Access.TOKEN:
        if access is Access.PUBLIC and "session" in connection.scope:
            await load_viewer(connection)
        return
    viewer = await load_viewer(connection)
    if viewer is None:
        raise LoginRequired("Inicie sesión para continuar.")
    if not role_allows(viewer.role, access):
        raise PermissionDeniedException(FORBIDDEN)
    check_password_changed(connection, handler.name)


def provide_viewer(request: AnyConnection) -> Viewer:
    """For handlers of logged-in routes: the guard has already found the viewer."""
    viewer = _viewer_or_none(request.state.get("viewer"))
    if viewer is None:
        raise LoginRequired("Inicie sesión para continuar.")
    return viewer


def _viewer_or_none(kept: object) -> Viewer | None:
    """What the guard kept on the connection's state (untyped storage)."""
    return kept if isinstance(kept, Viewer) else None


def missing_rules(handler_names: set[str]) -> set[str]:
    """Route names with no entry in the table (the app refuses to start with any)."""
    return {name for name in handler_names if name not in ROUTE_ACCESS}
