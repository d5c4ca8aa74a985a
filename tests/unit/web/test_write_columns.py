"""The rows a batch sends are JSON documents encoded in Rust: their column names must be plain
str (SQLAlchemy's `quoted_name` made the encoder probe each key in Python, 60 µs a row)."""

from __future__ import annotations

import importlib
import pkgutil

import services.web.projection as projection
from services.web.projection.writes import Write


def _writes() -> list[Write]:
    found = []
    for module_info in pkgutil.iter_modules(projection.__path__):
        module = importlib.import_module(f"{projection.__name__}.{module_info.name}")
        found += [value for value in vars(module).values() if isinstance(value, Write)]
    return found


def test_every_write_names_its_columns_with_plain_str() -> None:
    writes = _writes()
    assert len(writes) >= 10
    for write in writes:
        assert all(type(name) is str for name in write.columns), write
