"""Whether a resource is about the call's patient (contract section 2, "Only this patient's data").

FHIR servers may ignore a search parameter they do not support (``patient=`` included), and
a prefetch may carry anything, so every resource is checked where it enters: the ``Patient``
must have the context's id; an Observation, Condition, QuestionnaireResponse,
DocumentReference (any resource with a ``subject`` or ``patient`` reference) must reference
``Patient/<id>`` relatively, absolutely on the call's ``fhirServer``, or versioned
(``Patient/<id>/_history/<v>``). Anything else, including a resource without a subject, is
left out and reported as a :class:`~fhir_mappings.record.DataProblem` that says so, without
naming the other patient.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from fhir_mappings.record import DataProblem

__all__ = ["NOT_THIS_PATIENT", "PatientContext", "subject_problem"]

# The reason of every problem this module reports; metrics count problems by it.
NOT_THIS_PATIENT = "not about this patient"


@dataclass(frozen=True)
class PatientContext:
    """The patient a call is about: ``context.patientId`` and the call's ``fhirServer``."""

    patient_id: str
    fhir_server: str | None = None

    def references(self) -> frozenset[str]:
        """The unversioned references that name this patient."""
        relative = f"Patient/{self.patient_id}"
        if not self.fhir_server:
            return frozenset({relative})
        return frozenset({relative, f"{self.fhir_server.rstrip('/')}/{relative}"})


def subject_problem(
    raw: Mapping[str, object], resource_type: str, patient: PatientContext
) -> DataProblem | None:
    """None when ``raw`` is about ``patient``; else the problem that leaves it out.

    A ``Patient`` is about the patient when its ``id`` is the context's id; any other
    resource when its ``subject`` (or, failing that, ``patient``) reference names them.
    """
    if resource_type == "Patient":
        about = raw.get("id") == patient.patient_id
    else:
        about = _unversioned(_reference(raw)) in patient.references()
    if about:
        return None
    resource_id = raw.get("id")
    return DataProblem(
        resource_type,
        resource_id if isinstance(resource_id, str) else None,
        NOT_THIS_PATIENT,
    )


def _reference(raw: Mapping[str, object]) -> str | None:
    subject = raw.get("subject", raw.get("patient"))
    reference = subject.get("reference") if isinstance(subject, Mapping) else None
    return reference if isinstance(reference, str) else None


def _unversioned(reference: str | None) -> str | None:
    """``.../Patient/<id>`` from ``.../Patient/<id>/_history/<v>``; others unchanged."""
    if reference is None:
        return None
    head, marker, version = reference.rpartition("/_history/")
    return head if marker and version and "/" not in version else reference
