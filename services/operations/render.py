"""How the ops commands print: rich tables for people, JSON lines for scripts."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn
from rich.table import Table

from services.kafka_admin.browse import RecordView

console = Console()


def table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    grid = Table(title=title)
    for column in columns:
        grid.add_column(column)
    for row in rows:
        grid.add_row(*(str(cell) if cell is not None else "-" for cell in row))
    console.print(grid)


def json_line(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, default=str), flush=True)


def record(view: RecordView, as_json: bool) -> None:
    if as_json:
        json_line(view.as_json())
        return
    when = f"{view.timestamp:%Y-%m-%d %H:%M:%S}"
    console.rule(f"[bold]{view.topic}[/] p{view.partition} @{view.offset}  {when}  key={view.key}")
    for name, value in sorted(view.headers.items()):
        console.print(f"  [dim]{name}[/]: {value}")
    if isinstance(view.payload, dict | list):
        console.print_json(data=view.payload)
    else:
        console.print(view.payload)


def progress_bar() -> Progress:
    """Done of total, the rate (a `rate` field of the task) and the time left."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        console=console,
    )
