"""The census worker's production start-up: `censo worker migrate` brings its database to the
newest revision, and a production worker never migrates at start: on a schema behind the code it
refuses to start with one line naming the command to run."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from alembic.script import ScriptDirectory

from services.census_worker.adapters.tables import MIGRATIONS
from services.common.migrations import alembic_config
from tests.integration.common.test_production_start import censo, versions
from tests.support.infra import free_port


def worker_head() -> str | None:
    return ScriptDirectory.from_config(alembic_config(MIGRATIONS)).get_current_head()


async def test_censo_worker_migrate_brings_the_worker_database_to_the_newest_revision(
    create_database: Callable[[str], str],
) -> None:
    url = create_database("worker_migrate_cli")
    code, out, err = await asyncio.to_thread(censo, "worker", "migrate", WORKER_DATABASE_URL=url)
    assert code == 0, err
    assert "worker database at revision head" in out
    assert await versions(url) == [worker_head()]
    code, _, err = await asyncio.to_thread(censo, "worker", "migrate", WORKER_DATABASE_URL=url)
    assert code == 0, err  # a second run finds the schema done


async def test_an_unknown_worker_revision_is_a_usage_error(
    create_database: Callable[[str], str],
) -> None:
    url = create_database("worker_migrate_cli")
    code, _, err = await asyncio.to_thread(
        censo, "worker", "migrate", "9999", WORKER_DATABASE_URL=url
    )
    assert code == 2 and "unknown revision '9999'" in err


async def test_production_worker_refuses_a_schema_behind_the_code_in_one_line(
    create_database: Callable[[str], str], kafka_bootstrap: str
) -> None:
    url = create_database("worker_production")
    site = f"http://127.0.0.1:{free_port()}"  # never reached: the worker stops before a lookup
    env = {
        "WORKER_ENVIRONMENT": "production",
        "WORKER_DATABASE_URL": url,
        "WORKER_METRICS_PORT": "0",
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "CENSUS_WSP_URL": f"{site}/censo/consultar/",
        "CENSUS_CAPTCHA_BASE_URL": site,
    }
    code, _, err = await asyncio.to_thread(censo, "worker", "run", **env)
    assert code == 1, err
    assert "the census_worker database is at revision none" in err
    assert "run `censo worker migrate` first" in err
    assert "Traceback" not in err
    assert await versions(url) == []  # it migrated nothing
