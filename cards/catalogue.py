"""The contract's test table (section 5) as data: names, and the codes of orderable imaging.

Only the primary LOINC and CPT code of each imaging study is held here: enough to write a
draft order. Recognising incoming orders by all their codes is the order hooks' job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["TESTS", "CatalogueEntry", "catalogue_entry"]

LOINC = "http://loinc.org"
CPT = "http://www.ama-assn.org/go/cpt"
TEST_SYSTEM = "https://gluteal-cds.org/fhir/CodeSystem/test"


@dataclass(frozen=True)
class CatalogueEntry:
    """One test of the contract, and what we say when it will not help."""

    code: str
    name: str
    kind: Literal["exam", "imaging", "lab"]
    loinc: str | None = None
    cpt: str | None = None
    why_not: str | None = None  # one line for a busy clinician, when it will not help

    @property
    def orderable(self) -> bool:
        """Whether a draft ServiceRequest can be written for it (imaging with codes)."""
        return self.kind == "imaging" and self.loinc is not None and self.cpt is not None


_XRAY_WHY_NOT = (
    "it does not separate these conditions, and a normal film does not exclude a stress fracture"
)

TESTS: dict[str, CatalogueEntry] = {
    entry.code: entry
    for entry in (
        CatalogueEntry(
            "xray-hip-pelvis",
            "X-ray of hip or pelvis",
            "imaging",
            "24762-7",
            "73501",
            why_not=_XRAY_WHY_NOT,
        ),
        CatalogueEntry(
            "mri-lumbar-spine", "MRI lumbar spine without contrast", "imaging", "30679-5", "72148"
        ),
        CatalogueEntry(
            "mri-hip-pelvis", "MRI hip / pelvis without contrast", "imaging", "30687-8", "73721"
        ),
        CatalogueEntry("exam-straight-leg-raise", "straight leg raise", "exam"),
        CatalogueEntry("exam-piriformis", "piriformis provocation tests", "exam"),
        CatalogueEntry(
            "exam-gluteus-medius-palpation",
            "palpation of gluteus medius for trigger points",
            "exam",
        ),
        CatalogueEntry("exam-ischial-palpation", "pressure on the ischial tuberosity", "exam"),
        CatalogueEntry("exam-hamstring-resisted", "manual muscle testing of the hamstring", "exam"),
        CatalogueEntry(
            "exam-trochanter-palpation", "palpation over the greater trochanter", "exam"
        ),
        CatalogueEntry("exam-single-leg-hop", "single-leg hop test", "exam"),
        CatalogueEntry(
            "exam-resisted-abduction", "resisted hip abduction without weight bearing", "exam"
        ),
        CatalogueEntry("tuning-fork-or-ultrasound", "tuning fork / therapeutic ultrasound", "exam"),
        CatalogueEntry(
            "ct-lumbar-spine",
            "CT lumbar spine",
            "imaging",
            None,
            "72131",
            why_not="it would not separate these conditions, and it adds radiation",
        ),
        CatalogueEntry(
            "ct-hip-pelvis",
            "CT hip / pelvis",
            "imaging",
            None,
            "72192",
            why_not="it misses early bone stress and the soft-tissue conditions; adds radiation",
        ),
        CatalogueEntry("labs-infection", "blood count, CRP and ESR", "lab"),
    )
}


def catalogue_entry(code: str) -> CatalogueEntry | None:
    """The catalogue entry of a test code, or None for a code the contract does not list."""
    return TESTS.get(code)
