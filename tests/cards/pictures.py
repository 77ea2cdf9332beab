"""Hand-built differentials for the card tests: the reasoner's output, without the reasoner."""

from __future__ import annotations

from collections.abc import Sequence

from differential.model import (
    Candidate,
    Caution,
    Differential,
    Evidence,
    OrderRating,
    RatingCategory,
    RedFlag,
    Status,
    TestAdvice,
)

NAMES = {
    "lumbar-disc-sciatica": "lumbar disc sciatica",
    "piriformis-syndrome": "piriformis syndrome",
    "gluteus-medius-syndrome": "gluteus medius syndrome",
    "ischial-bursitis": "ischial bursitis",
    "trochanteric-bursitis": "trochanteric bursitis",
    "high-hamstring-tendinopathy": "high hamstring tendinopathy",
    "hip-stress-fracture": "hip stress fracture",
}
CITATION = "Source article, section 3"


def evidence(finding: str, label: str, *, present: bool = True, kind: str = "finding") -> Evidence:
    return Evidence(
        finding=finding,
        label=label,
        present=present,
        likelihood_ratio=3.0 if present else 0.3,
        rationale="because",
        citation=CITATION,
        kind=kind,  # type: ignore[arg-type]
    )


def ranking(
    order: Sequence[tuple[str, Status]],
    evidence_for: dict[str, tuple[Evidence, ...]] | None = None,
    evidence_against: dict[str, tuple[Evidence, ...]] | None = None,
) -> tuple[Candidate, ...]:
    """Seven candidates: those in ``order`` first, the rest unlikely after them."""
    listed = dict(order)
    rest = [(code, Status.UNLIKELY) for code in NAMES if code not in listed]
    full = [*order, *rest]
    share = 1.0 / len(full)
    return tuple(
        Candidate(
            code=code,
            name=NAMES[code],
            rank=rank,
            status=status,
            probability=share,
            supporting=(evidence_for or {}).get(code, ()),
            opposing=(evidence_against or {}).get(code, ()),
        )
        for rank, (code, status) in enumerate(full, start=1)
    )


def advice(code: str, name: str, kind: str, *conditions: str, reason: str = "helps") -> TestAdvice:
    return TestAdvice(
        code=code,
        name=name,
        reason=reason,
        citation=CITATION,
        kind=kind,  # type: ignore[arg-type]
        conditions=conditions,
        information_gain=0.5,
    )


XRAY = advice(
    "xray-hip-pelvis",
    "X-ray of hip or pelvis",
    "imaging",
    reason="Plain films do not separate these conditions.",
)


def order_rating(
    test: str = "xray-hip-pelvis",
    alternative: str | None = "mri-lumbar-spine",
    reason: str = "It does not separate sciatica from piriformis syndrome.",
    *,
    score: int = 2,
) -> OrderRating:
    """An order for ``test`` rated ``score`` of 9 (1-3 usually not appropriate)."""
    category: RatingCategory = (
        "usually-not-appropriate"
        if score <= 3
        else "may-be-appropriate"
        if score <= 6
        else "usually-appropriate"
    )
    return OrderRating(test, score, category, reason, alternative)


def sciatica_leading() -> Differential:
    radiates = evidence("pain-radiates-below-knee", "pain radiating past the knee")
    slr = evidence("straight-leg-raise-positive", "straight leg raise reproduces the pain")
    female = evidence("sex-female", "female", kind="patient")
    no_trigger = evidence(
        "gluteus-medius-trigger-points", "trigger points in gluteus medius", present=False
    )
    return Differential(
        knowledge_version="1.0.0",
        active=True,
        candidates=ranking(
            [
                ("lumbar-disc-sciatica", Status.LIKELY),
                ("piriformis-syndrome", Status.POSSIBLE),
            ],
            evidence_for={"lumbar-disc-sciatica": (radiates, slr, female)},
            evidence_against={"gluteus-medius-syndrome": (no_trigger,)},
        ),
        next_tests=(
            advice(
                "mri-lumbar-spine",
                "MRI lumbar spine without contrast",
                "imaging",
                "lumbar-disc-sciatica",
                "piriformis-syndrome",
            ),
            advice(
                "exam-piriformis", "piriformis provocation tests", "exam", "piriformis-syndrome"
            ),
        ),
        avoid_tests=(XRAY,),
        most_informative_unknowns=("leg-numbness", "piriformis-test-positive"),
    )


def buttock_undifferentiated() -> Differential:
    return Differential(
        knowledge_version="1.0.0",
        active=True,
        candidates=ranking(
            [
                ("gluteus-medius-syndrome", Status.POSSIBLE),
                ("ischial-bursitis", Status.POSSIBLE),
                ("high-hamstring-tendinopathy", Status.POSSIBLE),
            ],
            evidence_for={
                "ischial-bursitis": (evidence("buttock-pain", "pain in the buttock"),),
            },
        ),
        next_tests=(
            advice(
                "exam-ischial-palpation",
                "pressure on the ischial tuberosity",
                "exam",
                "ischial-bursitis",
            ),
            advice(
                "exam-hamstring-resisted",
                "manual muscle testing of the hamstring",
                "exam",
                "high-hamstring-tendinopathy",
            ),
        ),
        avoid_tests=(XRAY,),
        cautions=(
            Caution("c1", "ischial-bursitis", "Avoid hamstring stretching on the bursa.", CITATION),
            Caution("c2", "ischial-bursitis", "Do not sit on hard surfaces for long.", CITATION),
            Caution("c3", "high-hamstring-tendinopathy", "Avoid deep stretching.", CITATION),
        ),
    )


def stress_fracture() -> Differential:
    return Differential(
        knowledge_version="1.0.0",
        active=True,
        candidates=ranking(
            [("hip-stress-fracture", Status.LIKELY)],
            evidence_for={
                "hip-stress-fracture": (
                    evidence("pain-on-impact", "pain on impact"),
                    evidence("unable-to-bear-weight", "cannot bear weight"),
                )
            },
        ),
        next_tests=(
            advice(
                "mri-hip-pelvis",
                "MRI hip / pelvis without contrast",
                "imaging",
                "hip-stress-fracture",
            ),
        ),
        avoid_tests=(XRAY,),
        red_flags=(
            RedFlag(
                "unable-to-bear-weight",
                "Cannot bear weight",
                "Stop running, crutches, urgent MRI",
                CITATION,
            ),
            RedFlag(
                "hip-stress-fracture",
                "Suspected hip stress fracture",
                "No weight bearing; same-day MRI hip/pelvis",
                CITATION,
            ),
        ),
    )


def inactive() -> Differential:
    return Differential(knowledge_version="1.0.0", active=False)


PICTURES = {
    "sciatica-leading": sciatica_leading,
    "buttock-undifferentiated": buttock_undifferentiated,
    "stress-fracture": stress_fracture,
}
