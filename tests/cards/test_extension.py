"""The differential extension: the contract's exact shape, in rank order."""

from __future__ import annotations

from dataclasses import replace

from tests.cards import pictures
from tests.cards.rendered import extension, render


def test_differential_extension_has_the_contracts_exact_shape() -> None:
    differential = pictures.sciatica_leading()
    # The reasoner's order of candidates must not matter: rank does.
    shuffled = replace(differential, candidates=tuple(reversed(differential.candidates)))
    value = extension(render(shuffled))
    assert list(value) == ["knowledgeVersion", "conditions", "nextTests", "avoidTests", "redFlags"]
    assert value["knowledgeVersion"] == "1.0.0"
    assert [c["code"] for c in value["conditions"]] == [
        c.code for c in sorted(differential.candidates, key=lambda c: c.rank)
    ]
    assert len(value["conditions"]) == 7
    assert value["conditions"][0] == {
        "code": "lumbar-disc-sciatica",
        "status": "likely",
        # the patient's sex supports it too, but is not a finding code
        "supporting": ["pain-radiates-below-knee", "straight-leg-raise-positive"],
        "opposing": [],
    }
    assert value["conditions"][2]["opposing"] == ["gluteus-medius-trigger-points"]
    assert value["nextTests"] == ["mri-lumbar-spine", "exam-piriformis"]
    assert value["avoidTests"] == ["xray-hip-pelvis"]
    assert value["redFlags"] == []
