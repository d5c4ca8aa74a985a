"""Middlewares that bind what is being handled to the lines logged meanwhile: the envelope ids of
a consumed Kafka record (FastStream) and a request id per HTTP request (Litestar, with the plugin
that installs it)."""

from __future__ import annotations

import contextlib
import re
import uuid
from types import TracebackType
from typing import Any

from faststream import BaseMiddleware
from litestar.config.app import AppConfig
from litestar.datastructures import Headers, MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.plugins import InitPluginProtocol
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from services.common.logging import bound_context, record_ids

REQUEST_ID_HEADER = "x-request-id"
# A caller's request id is kept only if it looks like one: no free text from outside in our logs.
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class EnvelopeLogContext(BaseMiddleware[Any, Any]):
    """For `KafkaBroker(middlewares=…)`: the record's event id, type and correlation id on every
    line from FastStream's "Received" to the end of the handler (FastStream's own "Processed" and
    error lines come after, with its topic, group and message id instead)."""

    _scope: contextlib.ExitStack

    async def on_receive(self) -> None:
        self._scope = contextlib.ExitStack()
        self._scope.enter_context(bound_context(**record_ids(self.msg)))

    async def after_processed(
        self,
        exc_type: type[BaseException] | None = None,
        exc_val: BaseException | None = None,
        exc_tb: TracebackType | None = None,
    ) -> bool:
        self._scope.close()
        return False  # the error, if any, goes on to FastStream


class RequestLogContext(ASGIMiddleware):
    """For `Litestar(middleware=…)`: a request id (the caller's `X-Request-ID`, or a new one) on
    every line logged while the request is handled, and echoed in the response's header."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        offered = Headers.from_scope(scope).get(REQUEST_ID_HEADER, "")
        request_id = offered if _REQUEST_ID.fullmatch(offered) else str(uuid.uuid4())

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableScopeHeaders.from_message(message).add(REQUEST_ID_HEADER, request_id)
            await send(message)

        with bound_context(request_id=request_id):
            await next_app(scope, receive, send_with_id)


class LoggingPlugin(InitPluginProtocol):
    """For `Litestar(plugins=…)`: `RequestLogContext` outermost, and no logging setup of Litestar's
    own (by default it replaces the root handler `configure_logging` installed, format and all)."""

    def on_app_init(self, app_config: AppConfig) -> AppConfig:
        app_config.middleware.insert(0, RequestLogContext())
        app_config.logging_config = None
        return app_config
