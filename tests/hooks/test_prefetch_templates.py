"""The prefetch discovery offers: the contract's templates, observations dated on request."""

from __future__ import annotations

from cds_service.hooks.prefetch_templates import PREFETCH_TEMPLATES, discovery_prefetch


def test_dated_observations_go_back_as_far_as_the_service_reads() -> None:
    offered = discovery_prefetch(PREFETCH_TEMPLATES, 90)

    assert offered["observations"] == (
        "Observation?patient={{context.patientId}}&date=ge{{today() - 90 days}}"
    )
    assert {k: v for k, v in offered.items() if k != "observations"} == {
        k: v for k, v in PREFETCH_TEMPLATES.items() if k != "observations"
    }


def test_templates_without_observations_are_offered_as_they_are() -> None:
    templates = {"patient": PREFETCH_TEMPLATES["patient"]}

    assert discovery_prefetch(templates, 90) == templates
