"""Novedades without I/O: who hears of one live, and how each reads in Spanish; the map link of
«Dónde votan»."""

from __future__ import annotations

from types import SimpleNamespace
from uuid import uuid4

from schemas.events import Role
from services.web.live.audience import CENSUS_CHANGED, Change, Listener, event_names
from services.web.views.census_changes import change_view
from services.web.views.voting_places import map_link

LEADER, REFERRAL, OTHER = uuid4(), uuid4(), uuid4()


def test_a_novedad_is_announced_to_the_referrals_leader_and_admins_only() -> None:
    change = Change(CENSUS_CHANGED, REFERRAL, LEADER)
    assert event_names(Listener(LEADER, Role.LEADER), change) == ["census-changed"]
    assert event_names(Listener(OTHER, Role.ADMIN), change) == ["census-changed"]
    assert event_names(Listener(OTHER, Role.LEADER), change) == []
    assert event_names(Listener(REFERRAL, Role.USER), change) == []


def row(before: tuple, after: tuple) -> SimpleNamespace:
    names = ("status", "departamento", "municipio", "puesto", "mesa")
    values = {f"before_{n}": v for n, v in zip(names, before, strict=True)}
    return SimpleNamespace(**values, **{f"after_{n}": v for n, v in zip(names, after, strict=True)})


def test_each_kind_of_change_reads_in_spanish_with_before_and_after() -> None:
    here = ("ACTIVE", "SUCRE", "SINCELEJO", "IE UNO", "3")
    moved = change_view(row(here, ("ACTIVE", "SUCRE", "SINCELEJO", "IE UNO", "8")))
    assert moved.what == "Cambió de mesa"
    assert (moved.before, moved.after) == (
        "IE UNO, mesa 3 (SINCELEJO, SUCRE)",
        "IE UNO, mesa 8 (SINCELEJO, SUCRE)",
    )
    elsewhere = ("ACTIVE", "SUCRE", "COROZAL", "IE DOS", "1")
    assert change_view(row(here, elsewhere)).what == "Cambió de puesto de votación"
    gone = change_view(row(here, ("CANCELLED_DECEASED", None, None, None, None)))
    assert (gone.what, gone.after, gone.tone) == ("Cédula cancelada", "Cancelada por muerte", "bad")
    missing = row(here, ("NOT_FOUND", None, None, None, None))
    assert change_view(missing).what == "Ya no aparece en el censo"


def test_the_map_link_searches_the_puesto_address_town_and_departamento() -> None:
    link = map_link("IE SAN JOSÉ", "CL 22 # 10A-38", "SINCELEJO", "SUCRE")
    assert link == (
        "https://www.google.com/maps/search/?api=1&query="
        "IE+SAN+JOS%C3%89%2C+CL+22+%23+10A-38%2C+SINCELEJO%2C+SUCRE"
    )
