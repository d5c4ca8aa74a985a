"""`censo infra …`: run the local Kafka broker, PostgreSQL cluster and Registraduría simulator,
and give a cluster's principals their ACLs.

Each server command runs in the foreground so the process runner (honcho) supervises it; when the
environment points at an external Kafka or database, the command starts nothing and just waits.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import threading

import typer

from infra.local.dev_env import ensure_dev_env
from infra.local.kafka import KafkaNode
from infra.local.kafka_cluster import KafkaCluster, RunningCluster
from infra.local.kafka_jars import ensure_jars
from infra.local.paths import state_dir
from infra.local.postgres import PostgresCluster
from infra.local.settings import LocalInfraSettings
from services.common.kafka import ensure_topics
from services.common.kafka_acl_admin import AclReport, AclsRefused, apply_acls
from services.common.settings import KafkaSettings

app = typer.Typer(
    help="Local infrastructure (embedded Kafka, PostgreSQL, simulator).", no_args_is_help=True
)


def _wait_forever(reason: str) -> None:
    typer.echo(reason)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()


@app.command()
def kafka(
    brokers: int = typer.Option(
        1,
        min=1,
        max=5,
        help="Nodes to run; 3 for a cluster like a campaign's. Node n listens on "
        "CENSO_KAFKA_PORT + 2(n-1), its controller on CENSO_KAFKA_CONTROLLER_PORT + 2(n-1).",
    ),
) -> None:
    """Run the local Kafka (KRaft) in the foreground: one node, or a cluster of --brokers."""
    if external := os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        _wait_forever(f"using the Kafka cluster at {external}; starting none")
        return
    settings = LocalInfraSettings()
    if brokers == 1:
        KafkaNode(state_dir() / "kafka", settings.kafka_port, settings.kafka_controller_port).exec()
        return
    ports = [
        (settings.kafka_port + 2 * n, settings.kafka_controller_port + 2 * n)
        for n in range(brokers)
    ]
    folder = state_dir() / f"kafka-{brokers}-brokers"
    running = RunningCluster(KafkaCluster.on_ports(folder, ports), folder)
    replicas = min(3, brokers)
    typer.echo(
        f"Kafka: {brokers} brokers, logs in {folder}/node-<id>.log; clients set "
        f"KAFKA_BOOTSTRAP_SERVERS={running.cluster.bootstrap_servers} "
        f"KAFKA_REPLICATION_FACTOR={replicas} KAFKA_MIN_INSYNC_REPLICAS={min(2, replicas)}"
    )
    running.run_until_stopped()


@app.command("kafka-topics")
def kafka_topics() -> None:
    """Create the declared topics that are missing (KAFKA_REPLICATION_FACTOR, …): on a cluster
    with ACLs, as a super user, before the services start with KAFKA_CREATE_TOPICS=false."""
    created = asyncio.run(ensure_topics(KafkaSettings()))
    typer.echo(f"{len(created)} topics created" + (f": {', '.join(created)}" if created else ""))


@app.command("kafka-acls")
def kafka_acls(
    dry_run: bool = typer.Option(False, "--dry-run", help="Say what is missing; change nothing."),
) -> None:
    """Give each service's principal its Kafka ACLs (docs/deployment.md); adds only what is
    missing, so running it again changes nothing. Log in as a super user (KAFKA_SASL_*)."""
    try:
        report = asyncio.run(apply_acls(KafkaSettings(), dry_run=dry_run))
    except AclsRefused as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    _say_acls(report, dry_run)


def _say_acls(report: AclReport, dry_run: bool) -> None:
    added = "missing" if dry_run else "added"
    typer.echo(f"{len(report.added)} ACLs {added}, {len(report.present)} already there")
    for grant in report.added:
        typer.echo(f"{added}: {grant.describe()}")
    for line in report.outside:
        typer.echo(f"not in the set, left as it is: {line}")


@app.command()
def postgres() -> None:
    """Run the project's PostgreSQL cluster in the foreground and create its databases."""
    external = ("REGISTRATION_DATABASE_URL", "WEB_DATABASE_URL", "WORKER_DATABASE_URL")
    if all(os.environ.get(name) for name in external):
        _wait_forever("using the databases from the environment; starting none")
        return
    settings = LocalInfraSettings()
    cluster = PostgresCluster(state_dir() / "postgres", settings.postgres_port)
    server = cluster.popen()
    signal.signal(signal.SIGTERM, lambda *_: server.send_signal(signal.SIGINT))
    try:
        cluster.wait_ready()
        for name in settings.databases:
            if cluster.create_database(name):
                typer.echo(f"created database {name}")
        typer.echo(f"PostgreSQL ready on 127.0.0.1:{settings.postgres_port}")
        sys.exit(server.wait())
    except KeyboardInterrupt:
        server.send_signal(signal.SIGINT)  # fast shutdown, committed data kept
        sys.exit(server.wait())


@app.command()
def simulator() -> None:
    """Serve the Registraduría simulator (census site and captcha API)."""
    from infra.registraduria_sim.__main__ import main
    from services.common.logging import configure_logging
    from services.common.settings import LoggingSettings

    configure_logging(LoggingSettings(), service="simulator")
    main(log_config=None)  # uvicorn's lines through the handler just configured


@app.command()
def provision() -> None:
    """Install what is missing: the broker's jars, the cluster's data folder, Chromium's check."""
    ensure_jars()
    PostgresCluster(state_dir() / "postgres", LocalInfraSettings().postgres_port).prepare()
    chromium = os.environ.get("CENSUS_CHROMIUM_PATH", "/usr/bin/chromium")
    if not os.path.exists(chromium):
        typer.echo(f"Chromium not found at {chromium}: run `make provision` as root", err=True)
        raise typer.Exit(1)
    subprocess.run([chromium, "--version"], check=True, stdout=subprocess.DEVNULL)
    env_file = ensure_dev_env()
    typer.echo(f"provisioned: Kafka jars, PostgreSQL cluster, Chromium, {env_file.name}")
