"""A ValidationRequested travels in the lane of its reason: what a person waits for on
census.requests, bulk re-checks on census.requests.bulk; redriven requests are bulk work."""

from __future__ import annotations

import uuid

import pytest

from schemas import topics
from schemas.events import (
    ValidationReason,
    ValidationRequested,
    ValidationRequestedData,
    validation_topic,
)
from services.kafka_admin.dead_letters import redrive_topic

INTERACTIVE = topics.VALIDATION_REQUESTS.name
BULK = topics.BULK_VALIDATION_REQUESTS.name


@pytest.mark.parametrize(
    ("reason", "topic"),
    [
        (ValidationReason.REGISTRATION, INTERACTIVE),
        (ValidationReason.REFRESH, INTERACTIVE),
        (ValidationReason.BULK_REFRESH, BULK),
        (ValidationReason.REVALIDATION, BULK),
    ],
)
def test_a_request_is_published_to_the_topic_of_its_reason(
    reason: ValidationReason, topic: str
) -> None:
    data = ValidationRequestedData(user_id=uuid.uuid4(), cedula="52123456", reason=reason)
    event = ValidationRequested(producer="tests", data=data)

    assert validation_topic(reason) == event.destination == topic


def test_the_contract_lists_both_lanes_for_validation_requests() -> None:
    assert {ValidationRequested.topic, *ValidationRequested.other_topics} == {INTERACTIVE, BULK}


@pytest.mark.parametrize(
    ("original", "back_to"),
    [
        (INTERACTIVE, BULK),
        (BULK, BULK),
        (topics.ACCOUNTS.name, topics.ACCOUNTS.name),
        (topics.CENSUS_RESULTS.name, topics.CENSUS_RESULTS.name),
    ],
)
def test_a_redriven_request_goes_to_the_bulk_lane_and_others_home(
    original: str, back_to: str
) -> None:
    assert redrive_topic(original) == back_to
