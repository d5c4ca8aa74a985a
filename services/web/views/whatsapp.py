"""WhatsApp's share links: wa.me opens the app with a message written, to send to any contact
(or, with a number, in the chat with that number)."""

from __future__ import annotations

from urllib.parse import quote


def share_url(message: str) -> str:
    return "https://wa.me/?text=" + quote(message, safe="")


def chat_url(telefono: str, message: str) -> str:
    """The chat with a Colombian mobile (its 10 digits; 57 the country code), message written; a
    landline has no WhatsApp: then the contact is chosen in the app."""
    if len(telefono) != 10 or not telefono.startswith("3"):
        return share_url(message)
    return f"https://wa.me/57{telefono}?text=" + quote(message, safe="")
