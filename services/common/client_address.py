"""The address of the person behind a request, as the web passes it on to the registration API
(which only the web, holding the service token, may call): login and sign-up limits count per
address as well as per cédula."""

from __future__ import annotations

import ipaddress

CLIENT_ADDRESS_HEADER = "X-Client-Address"


def client_address(raw: str | None) -> str | None:
    """The address in canonical form, an IPv6 one as its /64 network (one household or phone
    gets many); None when absent or not an address."""
    try:
        address = ipaddress.ip_address((raw or "").strip())
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address.ipv4_mapped or address) if address.version == 6 else str(address)
