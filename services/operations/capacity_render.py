"""How `censo ops status` prints for people: the lanes and hosts as tables, then the backlog's
ETA in words, each open circuit with its last raw answer, and the captcha account."""

from __future__ import annotations

from typing import Any

from services.operations.render import console, table

RAW_ANSWER_SHOWN = 600  # characters of an open circuit's last answer (--json has it whole)


def status(data: dict[str, Any]) -> None:
    if data["reported_at"] is None:
        console.print("[yellow]no capacity report on census.status: no worker is reporting[/]")
    else:
        stale = "  [yellow](stale: the workers stopped reporting)[/]" if data["stale"] else ""
        console.print(f"last report {data['reported_at']}, interval {data['interval_s']} s{stale}")
    table(
        "Census lookups waiting",
        ["lane", "group", "topics", "waiting"],
        [(ln["lane"], ln["group"], ", ".join(ln["topics"]), ln["waiting"]) for ln in data["lanes"]],
    )
    if data["hosts"]:
        table(
            "Census hosts",
            ["host", "turns/min", "budget used", "turns/h", "cooldown until", "circuit"],
            [_host_row(host) for host in data["hosts"]],
        )
    console.print(f"{data['waiting']} waiting; {eta(data)}")
    for host in data["hosts"]:
        if host["circuit_open"]:
            _open_circuit(host)
    if data["captcha"]:
        _captcha(data["captcha"])


def _host_row(host: dict[str, Any]) -> tuple[Any, ...]:
    used = host["budget_used"]
    return (
        host["host"],
        host["turns_last_minute"],
        f"{used:.0%}" if used is not None else "no limit",
        host["turns_last_hour"],
        host["cooldown_until"] if host["cooling_down"] else None,
        f"OPEN since {host['circuit_open_since']}" if host["circuit_open"] else "closed",
    )


def eta(data: dict[str, Any]) -> str:
    if data["no_eta"]:
        return f"no ETA: {data['no_eta']}"
    return "nothing to look up" if data["eta_s"] == 0 else f"ETA {approximately(data['eta_s'])}"


def approximately(seconds: float) -> str:
    """less than a minute, about 25 minutes, about 5 hours, more than 2 days."""
    minutes = round(seconds / 60)
    if minutes < 1:
        return "less than a minute"
    if minutes < 120:
        return "about 1 minute" if minutes == 1 else f"about {minutes} minutes"
    hours = round(seconds / 3600)
    return f"about {hours} hours" if hours < 48 else f"more than {int(seconds // 86_400)} days"


def _open_circuit(host: dict[str, Any]) -> None:
    console.rule(f"[bold red]{host['host']}: circuit open[/] since {host['circuit_open_since']}")
    console.print(f"reason: {host['circuit_reason'] or '-'}", markup=False)
    raw = host["last_raw_answer"] or "-"
    console.print(f"last raw answer: {raw[:RAW_ANSWER_SHOWN]}", markup=False, highlight=False)
    console.print(f"resume with: censo ops hosts resume {host['host']}", markup=False)


def _captcha(captcha: dict[str, Any]) -> None:
    balance = captcha["balance_usd"]
    shown = (
        f"${balance:,.2f} (checked {captcha['balance_checked_at']})"
        if balance is not None
        else "not checked"
    )
    console.print(
        f"captcha: {captcha['solves']} solves, {captcha['expired']} expired, "
        f"spend ≈ ${captcha['spend_usd']:,.2f} at ${captcha['price_per_1000']:,.2f}/1000; "
        f"balance {shown}"
    )
    if captcha["low"] or (balance is not None and balance <= 0):
        console.print(
            f"[bold red]captcha balance low[/] (warning below "
            f"${captcha['low_balance_usd']:,.2f}): top it up"
        )
