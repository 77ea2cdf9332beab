"""FHIR in, findings out: the only package that knows FHIR.

``map_patient_record`` turns the prefetch of a CDS Hooks call (answers to our bedside
Questionnaire included) into the findings, diagnoses and demographics of contract sections
3 and 4; ``read_imaging_orders`` recognises the imaging studies among draft orders;
``subject_problem`` says when a resource is not about the call's
patient. The code tables it looks codings up in are :mod:`terminology`'s.
"""

from fhir_mappings._draft_orders import draft_order_entries
from fhir_mappings.elements_read import (
    Screening,
    observation_search_elements,
    screen,
    screening_elements,
)
from fhir_mappings.orders import DraftOrdersError, ImagingOrder, ImagingOrders, read_imaging_orders
from fhir_mappings.patient_record import DEFAULT_MAX_AGE, map_patient_record
from fhir_mappings.record import (
    DataProblem,
    FindingSource,
    MappingError,
    PatientRecord,
    SearchResults,
    Sex,
)
from fhir_mappings.subject import NOT_THIS_PATIENT, PatientContext, subject_problem
from fhir_mappings.treatment_orders import read_treatment_orders

__all__ = [
    "DEFAULT_MAX_AGE",
    "NOT_THIS_PATIENT",
    "DataProblem",
    "DraftOrdersError",
    "FindingSource",
    "ImagingOrder",
    "ImagingOrders",
    "MappingError",
    "PatientContext",
    "PatientRecord",
    "Screening",
    "SearchResults",
    "Sex",
    "draft_order_entries",
    "map_patient_record",
    "observation_search_elements",
    "read_imaging_orders",
    "read_treatment_orders",
    "screen",
    "screening_elements",
    "subject_problem",
]
