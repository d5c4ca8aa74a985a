"""Messages between this process and Playwright's driver, counted by object type and method:
those sent (each a round trip) and those received (answers, events, created objects)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from playwright._impl.connection import Connection


class DriverMessages:
    """`with DriverMessages() as messages:` counts into `messages.sent` and `messages.received`."""

    def __init__(self) -> None:
        self.sent: Counter[str] = Counter()
        self.received: Counter[str] = Counter()
        self._send = Connection.send_message_to_server
        self._dispatch = Connection.dispatch

    def __enter__(self) -> DriverMessages:
        send, dispatch, sent, received = self._send, self._dispatch, self.sent, self.received

        def counted_send(conn: Connection, obj: Any, method: str, params: Any, options: Any) -> Any:
            sent[f"{type(obj).__name__}.{method}"] += 1
            return send(conn, obj, method, params, options)

        def counted_dispatch(conn: Connection, message: dict[str, Any]) -> None:
            received[_received_kind(conn, message)] += 1
            dispatch(conn, message)

        Connection.send_message_to_server = counted_send  # type: ignore[method-assign,assignment]  # counting, bench only
        Connection.dispatch = counted_dispatch  # type: ignore[method-assign,assignment]  # ^
        return self

    def __exit__(self, *_: object) -> None:
        Connection.send_message_to_server = self._send  # type: ignore[method-assign]  # restored
        Connection.dispatch = self._dispatch  # type: ignore[method-assign]  # restored


def _received_kind(conn: Connection, message: dict[str, Any]) -> str:
    if message.get("id"):
        return "answer"
    method = message.get("method", "?")
    if method == "__create__":
        return f"__create__ {message.get('params', {}).get('type', '?')}"
    target = conn._objects.get(message.get("guid") or "")
    if method == "event" and isinstance(message.get("params"), dict):
        method = f"event {message['params'].get('method', '?')}"  # a CDP session's event
    return f"{type(target).__name__}.{method}"
