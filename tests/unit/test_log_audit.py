"""The end-of-session log audit finds what it looks for, and nothing masked."""

from __future__ import annotations

from pathlib import Path

from tests.support.log_audit import findings


def test_the_audit_catches_a_named_cedula_and_parameters_but_not_masked_ones(
    tmp_path: Path,
) -> None:
    log = tmp_path / "web.log"
    log.write_text(
        "\n".join(
            [
                '{"event": "census.lookup_done", "cedula": "*******122"}',
                "census.lookup_done cedula=1102812122 status=ACTIVE",
                '{"event": "x", "cedula": "1102812122"}',
                "GET /referidos?busqueda=… HTTP/1.1",
                "GET /referidos?busqueda=1102812122 HTTP/1.1",
                "[parameters: ('1102812122',)]",
                "offset=1102812122 partition=3",
            ]
        )
    )
    assert findings([log, tmp_path / "missing.log"]) == [
        "web.log:2: a full cédula after 'cedula'",
        "web.log:3: a full cédula after 'cedula'",
        "web.log:5: a full cédula after 'busqueda'",
        "web.log:6: a statement's parameters",
    ]
