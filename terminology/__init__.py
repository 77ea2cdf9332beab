"""The vocabulary every package shares: codes, code systems, displays and our URLs.

``codes.json`` is the one source of the finding, condition, test, card-topic and
override-reason codes, the code system URLs and the value codings; :func:`code_tables`
reads it once and indexes it. ``fhir_mappings`` looks incoming codings up in it, ``cards``
writes its codes and displays, ``cds_service`` writes answers back to the EHR with them.
Our terminology as FHIR R4 resources is generated from it into ``fhir/``
(``python -m terminology._generate_fhir``).

This package sits at the bottom: it imports nothing from the others.
"""

from terminology._codes import (
    CODES_FILE,
    CodeTables,
    HistoryOf,
    TestCode,
    code_tables,
    icd10_key,
    icd10_pattern,
    value_word,
)
from terminology.codings import QUESTIONNAIRE_URL, answer_coding, system_url

# What the other packages use; the tables' other row types are reached through CodeTables.
__all__ = [
    "CODES_FILE",
    "QUESTIONNAIRE_URL",
    "CodeTables",
    "HistoryOf",
    "TestCode",
    "answer_coding",
    "code_tables",
    "icd10_key",
    "icd10_pattern",
    "system_url",
    "value_word",
]
