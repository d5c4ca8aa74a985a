"""The census answers: the packaged data file first, then a deterministic rule for the rest."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from infra.registraduria_sim.census import Census, outcome_for
from infra.registraduria_sim.outcome import OutcomeKind
from infra.registraduria_sim.rule import generated_outcome


def test_captured_example_is_found_in_sincelejo_mesa_13():
    outcome = outcome_for("1102812122")

    assert outcome.kind is OutcomeKind.FOUND
    assert outcome.place is not None
    assert (outcome.place.departamento, outcome.place.municipio) == ("SUCRE", "SINCELEJO")
    assert (outcome.place.puesto, outcome.place.direccion) == (
        "IE SAN JOSE C I P",
        "CL 22 No. 10A-380",
    )
    assert outcome.place.mesa == "13"


def test_packaged_file_lists_every_outcome_kind():
    listed = Census.load().listed.values()

    assert {outcome.kind for outcome in listed} == set(OutcomeKind)


def test_packaged_file_has_the_main_cities_and_both_cancellations():
    listed = Census.load().listed.values()
    departamentos = {o.place.departamento for o in listed if o.place}
    novedades = {o.novedad.novedad for o in listed if o.novedad}

    assert {"SUCRE", "BOGOTA D.C.", "ANTIOQUIA", "VALLE", "ATLANTICO"} <= departamentos
    assert {"CANCELADA POR MUERTE", "CANCELADA POR DOBLE CEDULACIÓN"} <= novedades


def test_deceased_example_carries_resolucion_and_date():
    outcome = outcome_for("17100200")

    assert outcome.novedad is not None
    assert outcome.novedad.is_death
    assert (outcome.novedad.resolucion, outcome.novedad.fecha) == ("4521", "15/03/2019")


def test_rule_gives_the_same_answer_every_time():
    cedulas = [str(n) for n in range(30_000_000, 30_000_200)]

    assert [generated_outcome(c) for c in cedulas] == [generated_outcome(c) for c in cedulas]


def test_rule_splits_roughly_85_found_10_not_found_5_novedad():
    outcomes = [generated_outcome(str(n)) for n in range(40_000_000, 40_004_000)]
    counts = Counter(o.kind for o in outcomes)
    deaths = sum(1 for o in outcomes if o.novedad and o.novedad.is_death)

    assert 0.82 < counts[OutcomeKind.FOUND] / 4000 < 0.88
    assert 0.08 < counts[OutcomeKind.NOT_FOUND] / 4000 < 0.12
    assert 0.02 < deaths / 4000 < 0.04
    assert 0.01 < (counts[OutcomeKind.NOVEDAD] - deaths) / 4000 < 0.03


def test_rule_never_produces_failures():
    kinds = {generated_outcome(str(n)).kind for n in range(1_000, 3_000)}

    assert kinds <= {OutcomeKind.FOUND, OutcomeKind.NOT_FOUND, OutcomeKind.NOVEDAD}


def test_unlisted_cedula_follows_the_rule():
    assert outcome_for("55555555") == generated_outcome("55555555")


def test_alternative_data_file_replaces_the_packaged_one(tmp_path):
    data_file = tmp_path / "census.json"
    data_file.write_text(json.dumps({"cedulas": {"1102812122": {"kind": "hang"}}}), "utf-8")

    assert outcome_for("1102812122", data_file).kind is OutcomeKind.HANG
    assert outcome_for("17100200", data_file) == generated_outcome("17100200")


def test_found_entry_without_its_voting_place_is_rejected():
    with pytest.raises(ValueError):
        Census.parse(json.dumps({"cedulas": {"123": {"kind": "found"}}}))


def test_failure_entry_with_extra_fields_is_rejected():
    with pytest.raises(ValueError):
        Census.parse(json.dumps({"cedulas": {"123": {"kind": "firewall", "mesa": "1"}}}))
