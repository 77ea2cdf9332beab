"""Property: whatever a caller sends as feedback, never a 5xx, and every answer is sound."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.hardening.answers import assert_sound_feedback_answer
from tests.hardening.mutations import encoded, json_values, mutated
from tests.hardening.seeds import FEEDBACK_SEEDS

pytestmark = pytest.mark.slow  # fuzzing: hypothesis sends many mutated requests

URL = "/cds-services/gluteal-pain-differential/feedback"
FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(data=st.data())
def test_mutated_feedback_gets_sound_answers(
    shared_client: FlaskClient, data: st.DataObject
) -> None:
    document = mutated(data, data.draw(st.sampled_from(FEEDBACK_SEEDS), label="seed"))

    response = shared_client.post(URL, data=encoded(data, document))

    event(f"HTTP {response.status_code}")
    assert_sound_feedback_answer(response)


@settings(FUZZ, max_examples=50)
@given(body=st.one_of(json_values, st.binary(max_size=200)))
def test_random_feedback_bodies_get_sound_answers(shared_client: FlaskClient, body: object) -> None:
    if isinstance(body, bytes):
        response = shared_client.post(URL, data=body)
    else:
        response = shared_client.post(URL, json=body)

    event(f"HTTP {response.status_code}")
    assert_sound_feedback_answer(response)
