"""Property: whatever a caller sends to a hook, never a 5xx, and every answer is sound.

Requests start from every shared vignette and are mutated at every level (see
``mutations``); some are random JSON or random bytes. A 4xx must be ``{"error": ...}``, a
200 must be a valid CDS Hooks response whose cards keep the card rules.
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.hardening.answers import assert_sound_hook_answer
from tests.hardening.mutations import encoded, json_values, mutated
from tests.hardening.seeds import SERVICES, evaluated_at, hook_seeds
from tests.support.clock import FakeClock

pytestmark = pytest.mark.slow  # fuzzing: hypothesis sends many mutated requests

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.parametrize("service", SERVICES)
@FUZZ
@given(data=st.data())
def test_mutated_vignette_requests_get_sound_answers(
    shared_client: FlaskClient, shared_clock: FakeClock, service: str, data: st.DataObject
) -> None:
    seed = data.draw(st.sampled_from(hook_seeds(service)), label="vignette")
    document = mutated(data, seed)
    shared_clock.now = evaluated_at(seed)

    response = shared_client.post(
        f"/cds-services/{service}", data=encoded(data, document), content_type="application/json"
    )

    event(f"HTTP {response.status_code}")
    assert_sound_hook_answer(response)


@pytest.mark.parametrize("service", SERVICES)
@settings(FUZZ, max_examples=50)
@given(body=st.one_of(json_values.map(lambda v: {"hook": v}), st.binary(max_size=200)))
def test_random_bodies_get_sound_answers(
    shared_client: FlaskClient, service: str, body: object
) -> None:
    if isinstance(body, bytes):
        response = shared_client.post(f"/cds-services/{service}", data=body)
    else:
        response = shared_client.post(f"/cds-services/{service}", json=body)

    event(f"HTTP {response.status_code}")
    assert_sound_hook_answer(response)
