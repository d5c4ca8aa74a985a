"""Who runs an operator's command: named in the events and logs the command writes."""

from __future__ import annotations

import getpass
import os


def operator_name() -> str:
    """$CENSO_OPERATOR, or the login name of the process's user."""
    return os.environ.get("CENSO_OPERATOR") or getpass.getuser()
