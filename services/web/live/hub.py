"""The fan-out of one web process: every connected browser has a queue; each change goes to the
queues of those allowed to hear it. Recent changes are kept so a browser reconnecting with
`Last-Event-ID` gets what it missed; when that is impossible it is told to `resync` (fetch again).

Only a change's own user, their referrer and the admins can hear of it (audience.py), so the
subscriptions are indexed by user and the admins kept apart: a change costs the same with ten
browsers connected as with ten thousand.
"""

from __future__ import annotations

import secrets
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import replace
from uuid import UUID

from schemas.events import Role
from services.common.text import ascii_number
from services.web.live.audience import Change, Listener, event_names
from services.web.live.subscriptions import (
    RESYNC,
    Message,
    StreamLimits,
    Subscription,
    TooManyStreams,
)


class Hub:
    def __init__(
        self, history: int = 2000, queue_size: int = 500, limits: StreamLimits | None = None
    ) -> None:
        self.epoch = secrets.token_hex(4)  # ids of another process or run do not replay here
        self._seq = 0
        self._recent: deque[tuple[int, Change]] = deque(maxlen=history)
        self._subscriptions: set[Subscription] = set()
        self._by_user: dict[UUID, set[Subscription]] = {}
        self._admins: set[Subscription] = set()
        self._by_session: dict[str, set[Subscription]] = {}
        self._queue_size = queue_size
        self._limits = limits or StreamLimits()
        self.closed = False

    @property
    def streams(self) -> int:
        """How many streams are open in this process."""
        return len(self._subscriptions)

    @property
    def last_id(self) -> str:
        return f"{self.epoch}-{self._seq}"

    def admit(self, listener: Listener, session: str) -> None:
        """Raise TooManyStreams if one more stream of this session and user passes a limit."""
        limits = self._limits
        if len(self._by_session.get(session, ())) >= limits.per_session:
            raise TooManyStreams(
                f"Esta sesión ya tiene {limits.per_session} pestañas con actualizaciones en vivo "
                "abiertas. Cierre alguna y vuelva a cargar esta página."
            )
        if len(self._by_user.get(listener.user_id, ())) >= limits.per_user:
            raise TooManyStreams(
                f"Su cuenta ya tiene {limits.per_user} pestañas con actualizaciones en vivo "
                "abiertas (en todos sus dispositivos). Cierre alguna y vuelva a cargar."
            )
        if len(self._subscriptions) >= limits.per_process:
            raise TooManyStreams(
                "El servidor atiende el máximo de actualizaciones en vivo en este momento. "
                "La página seguirá funcionando; vuelva a cargarla en unos minutos."
            )

    def subscribe(self, listener: Listener, session: str = "") -> Subscription:
        subscription = Subscription(listener, self._queue_size, session)
        if self.closed:
            subscription.queue.put_nowait(None)
        self._subscriptions.add(subscription)
        self._by_session.setdefault(session, set()).add(subscription)
        self._by_user.setdefault(listener.user_id, set()).add(subscription)
        if listener.role is Role.ADMIN:
            self._admins.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self._subscriptions.discard(subscription)
        self._admins.discard(subscription)
        same_session = self._by_session.get(subscription.session)
        if same_session is not None:
            same_session.discard(subscription)
            if not same_session:
                del self._by_session[subscription.session]
        user_id = subscription.listener.user_id
        same_user = self._by_user.get(user_id)
        if same_user is not None:
            same_user.discard(subscription)
            if not same_user:
                del self._by_user[user_id]

    def publish(self, change: Change) -> None:
        self._seq += 1
        self._recent.append((self._seq, change))
        for subscription in self._audience(change):
            for message in self._messages(subscription.listener, self._seq, change):
                subscription.offer(message)

    def _audience(self, change: Change) -> Iterator[Subscription]:
        """Everyone who may hear of `change`, each once: its user, its referrer (and the one it
        left, after a hand-over), the admins."""
        yield from self._by_user.get(change.user_id, ())
        if change.referrer_id is not None and change.referrer_id != change.user_id:
            yield from self._by_user.get(change.referrer_id, ())
        previous = change.previous_referrer_id
        if previous is not None and previous not in (change.user_id, change.referrer_id):
            yield from self._by_user.get(previous, ())
        for subscription in self._admins:
            if subscription.listener.user_id not in (change.user_id, change.referrer_id, previous):
                yield subscription

    def replay(self, listener: Listener, last_event_id: str) -> list[Message] | None:
        """What `listener` missed after `last_event_id`, or None when that cannot be known."""
        epoch, _, seq_text = last_event_id.partition("-")
        seq = ascii_number(seq_text, 19)
        if epoch != self.epoch or seq is None:
            return None
        oldest = self._recent[0][0] if self._recent else self._seq + 1
        if seq > self._seq or seq < oldest - 1:
            return None
        return [
            message
            for change_seq, change in self._recent
            if change_seq > seq
            for message in self._messages(listener, change_seq, change)
        ]

    def resync_all(self) -> None:
        """After the LISTEN connection was lost: changes may have been missed by everyone."""
        self.resync(None)

    def resync(self, users: set[UUID] | None) -> None:
        """The browsers of `users` and the admins (everyone when None) may have missed changes:
        they are told to fetch their page again."""
        message = Message(self.last_id, RESYNC, "")
        if users is None:
            told: Iterable[Subscription] = self._subscriptions
        else:
            told = {s for user in users for s in self._by_user.get(user, ())} | self._admins
        for subscription in told:
            subscription.offer(message)

    def keep_alive(self, idle_s: float) -> int:
        """Queue a keep-alive for every stream idle `idle_s`: one sweep for all the streams,
        instead of a timer per stream; how many were queued."""
        now = time.monotonic()
        return sum(s.keep_alive(now, idle_s) for s in self._subscriptions)

    def set_role(self, user_id: UUID, role: Role) -> None:
        for subscription in self._by_user.get(user_id, ()):
            subscription.listener = replace(subscription.listener, role=role)
            if role is Role.ADMIN:
                self._admins.add(subscription)
            else:
                self._admins.discard(subscription)

    def end_sessions(self, sessions: Iterable[str]) -> None:
        """Those sessions ended (logout, password changed, account disabled): their streams end."""
        for session in sessions:
            for subscription in self._by_session.get(session, ()):
                subscription.end()

    def close(self) -> None:
        """Server shutdown: every stream ends, so connections close and the process can stop."""
        self.closed = True
        for subscription in self._subscriptions:
            subscription.end()

    def _messages(self, listener: Listener, seq: int, change: Change) -> list[Message]:
        message_id = f"{self.epoch}-{seq}"
        data = str(change.user_id)
        return [Message(message_id, name, data) for name in event_names(listener, change)]
