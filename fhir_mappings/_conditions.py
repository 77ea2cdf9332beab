"""Conditions to diagnoses already made (contract section 4)."""

from __future__ import annotations

from fhir.resources.R4B.codeableconcept import CodeableConcept as R4BCodeableConcept

from fhir_mappings._condition_model import CodeableConcept, Condition
from fhir_mappings._resources import RawResource, codings
from terminology import CodeTables, icd10_key

__all__ = ["codes_in", "condition_codes", "counts", "names_condition"]


def _lookup(system: str, code: str, tables: CodeTables) -> str | None:
    """Our condition code for one coding: exact codes first, then ICD-10-CM stems."""
    if tables.in_system(system, "icd10cm"):
        key = icd10_key(code)
        exact = tables.condition_by_coding.get((system, key))
        stems = (c for stem, c in tables.condition_icd10_stems if key.startswith(stem))
        return exact or next(stems, None)
    return tables.condition_by_coding.get((system, code))


def names_condition(raw: RawResource, tables: CodeTables) -> bool:
    """Whether a raw Condition is coded with a condition of ours (cheap, before validation)."""
    return any(_lookup(system, code, tables) for system, code in codings(raw.get("code")))


def condition_codes(condition: Condition, tables: CodeTables) -> set[str]:
    """The condition codes a validated Condition is coded with."""
    return codes_in(condition.code, tables)


def codes_in(concept: CodeableConcept | R4BCodeableConcept | None, tables: CodeTables) -> set[str]:
    """The condition codes of section 4 named by a CodeableConcept (SNOMED CT, ICD-10-CM)."""
    found = (
        _lookup(str(coding.system), str(coding.code), tables)
        for coding in (concept.coding or [] if concept else [])
    )
    return {code for code in found if code is not None}


def _status_codes(concept: CodeableConcept | None) -> set[str]:
    return {str(coding.code) for coding in (concept.coding or [] if concept else [])}


def counts(condition: Condition, tables: CodeTables) -> bool:
    """Active, recurrent or relapsed, and neither refuted nor entered in error."""
    clinical = _status_codes(condition.clinicalStatus)
    verification = _status_codes(condition.verificationStatus)
    return bool(clinical & tables.condition_clinical_counted) and not (
        verification & tables.condition_verification_excluded
    )
