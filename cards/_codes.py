"""The codes cards write, generated from fhir_mappings/codes.json: do not edit.

Regenerate with ``python -m cards._generate_codes`` (then ``ruff format``); a test fails
when this file and codes.json disagree.
"""

from __future__ import annotations

__all__ = ["CARD_TOPICS", "OVERRIDE_REASONS", "SYSTEMS", "TESTS"]

SYSTEMS = {
    "finding": "https://gluteal-cds.org/fhir/CodeSystem/finding",
    "condition": "https://gluteal-cds.org/fhir/CodeSystem/condition",
    "test": "https://gluteal-cds.org/fhir/CodeSystem/test",
    "card_topic": "https://gluteal-cds.org/fhir/CodeSystem/card-topic",
    "override_reason": "https://gluteal-cds.org/fhir/CodeSystem/override-reason",
    "snomed": "http://snomed.info/sct",
    "loinc": "http://loinc.org",
    "cpt": "http://www.ama-assn.org/go/cpt",
    "icd10cm": "http://hl7.org/fhir/sid/icd-10-cm",
    "interpretation": "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
    "condition_clinical": "http://terminology.hl7.org/CodeSystem/condition-clinical",
    "condition_verification": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
}

TESTS = {
    "xray-hip-pelvis": ("X-ray of hip or pelvis", "imaging", "24762-7", "73501"),
    "mri-lumbar-spine": ("MRI lumbar spine without contrast", "imaging", "30679-5", "72148"),
    "mri-hip-pelvis": ("MRI hip / pelvis without contrast", "imaging", "30687-8", "73721"),
    "exam-straight-leg-raise": ("Straight leg raise", "exam", None, None),
    "exam-piriformis": ("Piriformis provocation tests", "exam", None, None),
    "exam-gluteus-medius-palpation": (
        "Palpation of gluteus medius for trigger points",
        "exam",
        None,
        None,
    ),
    "exam-ischial-palpation": ("Pressure on the ischial tuberosity", "exam", None, None),
    "exam-hamstring-resisted": ("Manual muscle testing of the hamstring", "exam", None, None),
    "exam-trochanter-palpation": ("Palpation over the greater trochanter", "exam", None, None),
    "exam-single-leg-hop": ("Single-leg hop test", "exam", None, None),
    "exam-resisted-abduction": (
        "Resisted hip abduction without weight bearing",
        "exam",
        None,
        None,
    ),
    "tuning-fork-or-ultrasound": ("Tuning fork / therapeutic ultrasound", "exam", None, None),
    "ct-lumbar-spine": ("CT lumbar spine", "imaging", None, "72131"),
    "ct-hip-pelvis": ("CT hip / pelvis", "imaging", None, "72192"),
    "labs-infection": ("Blood count, CRP and ESR (blood cultures if febrile)", "lab", None, None),
}

CARD_TOPICS = {
    "differential": "Differential diagnosis",
    "next-test": "Next test",
    "avoid-test": "Test to avoid",
    "treatment-caution": "Treatment caution",
    "red-flag": "Red flag",
    "order-appropriateness": "Order appropriateness",
}

OVERRIDE_REASONS = (
    ("already-discussed", "Already discussed with the patient"),
    ("rule-out-other-condition", "Needed to rule out another condition"),
    ("patient-preference", "Patient preference"),
    ("mri-contraindicated", "MRI contraindicated or unavailable"),
    ("other", "Other"),
)
