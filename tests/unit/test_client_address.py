"""The client address the login limits count by: canonical, IPv6 by its /64, junk ignored."""

from __future__ import annotations

import pytest

from services.common.client_address import client_address


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("190.24.5.7", "190.24.5.7"),
        (" 190.24.5.7 ", "190.24.5.7"),
        ("2800:e2:1:2:3:4:5:6", "2800:e2:1:2::/64"),
        ("2800:e2:1:2:ffff:4:5:6", "2800:e2:1:2::/64"),  # one household, one subject
        ("::ffff:190.24.5.7", "190.24.5.7"),
        ("testclient", None),
        ("", None),
        (None, None),
        ("190.24.5.7, 10.0.0.1", None),
    ],
)
def test_addresses_are_counted_in_canonical_form(raw: str | None, expected: str | None) -> None:
    assert client_address(raw) == expected
