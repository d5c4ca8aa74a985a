"""WhatsApp's share links: wa.me opens the app with a message written, to send to any contact."""

from __future__ import annotations

from urllib.parse import quote


def share_url(message: str) -> str:
    return "https://wa.me/?text=" + quote(message, safe="")
