"""Read tables of «Dónde votan»: who is counted at which mesa, and the counts per leader and
place that the pages read (kept by the projector, see projection/voting_places.py)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import Column, Index, Integer, String, Table, Uuid

from services.web.adapters.tables import metadata

# The scope of the campaign-wide counts (every person, referred or not).
EVERYONE = UUID(int=0)

# One row per cédula with a known place: where it is counted now, and under which leader (the
# referrer when the person was read; None for people nobody referred).
voting_place_members = Table(
    "voting_place_members",
    metadata,
    Column("cedula", String(10), primary_key=True),
    Column("user_id", Uuid, nullable=False),
    Column("leader_id", Uuid),
    Column("departamento", String(200), nullable=False),
    Column("municipio", String(200), nullable=False),
    Column("puesto", String(300), nullable=False),
    Column("direccion", String(300), nullable=False),
    Column("mesa", String(20), nullable=False),
    # The printable list of a puesto: a leader's people there, or everyone's.
    Index("ix_voting_place_members_leader", "leader_id", "departamento", "municipio", "puesto"),
    Index("ix_voting_place_members_place", "departamento", "municipio", "puesto"),
)

# How many people vote at each mesa, per scope: a leader's id (their direct referrals) or
# EVERYONE. A row with no one left is deleted.
voting_place_counts = Table(
    "voting_place_counts",
    metadata,
    Column("scope_id", Uuid, primary_key=True),
    Column("departamento", String(200), primary_key=True),
    Column("municipio", String(200), primary_key=True),
    Column("puesto", String(300), primary_key=True),
    Column("mesa", String(20), primary_key=True),
    Column("direccion", String(300), nullable=False),
    Column("people", Integer, nullable=False),
)
