"""The Kafka broker's jars, resolved from Maven Central by `infra/kafka/pom.xml`
(`mvn dependency:copy-dependencies`) into a git-ignored folder, again only when the pom changes."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

from infra.local.paths import KAFKA_LIB_DIR, KAFKA_POM_DIR


def ensure_jars() -> Path:
    """Resolve the broker's jars with Maven unless those of the current pom.xml are there."""
    stamp = KAFKA_LIB_DIR / ".pom.sha256"
    wanted = hashlib.sha256((KAFKA_POM_DIR / "pom.xml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != wanted:
        shutil.rmtree(KAFKA_LIB_DIR, ignore_errors=True)
        subprocess.run(
            [
                "mvn",
                "-q",
                "-B",
                "--strict-checksums",  # a jar whose checksum does not match is refused
                "dependency:copy-dependencies",
                f"-DoutputDirectory={KAFKA_LIB_DIR}",
                "-DincludeScope=runtime",
            ],
            cwd=KAFKA_POM_DIR,
            check=True,
        )
        stamp.write_text(wanted)
    return KAFKA_LIB_DIR
