"""Writes one JSON Schema file per event version into schemas/jsonschema/.

Run `python -m schemas.jsonschema_export` after changing an event; a test fails while the committed
files are stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from schemas.events import EVENT_TYPES

SCHEMA_DIR = Path(__file__).parent / "jsonschema"


def render_all() -> dict[str, str]:
    """File name → file text for every registered event version."""
    files = {}
    for (event_type, version), cls in sorted(EVENT_TYPES.items()):
        schema = cls.model_json_schema(mode="serialization")
        schema["$id"] = f"urn:censo:event:{event_type}:v{version}"
        files[f"{event_type}.v{version}.json"] = (
            json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
        )
    return files


def main() -> None:
    SCHEMA_DIR.mkdir(exist_ok=True)
    for name, text in render_all().items():
        (SCHEMA_DIR / name).write_text(text, encoding="utf-8")
        print(f"wrote {SCHEMA_DIR.name}/{name}")


if __name__ == "__main__":
    main()
