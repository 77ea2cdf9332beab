"""The code tables of ``codes.json``, loaded once on first use and indexed for look-up.

``codes.json`` is the one place where finding, condition, test and value codes live; the
mappers, the cards, the terminology generator and the tests all read it through
:func:`code_tables`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from itertools import takewhile
from pathlib import Path
from typing import Any, TypeVar

__all__ = [
    "CODES_FILE",
    "CodeTables",
    "ConditionCode",
    "ConditionFindingRules",
    "FindingCode",
    "HistoryOf",
    "Icd10Pattern",
    "OrderContrast",
    "OrderTextRule",
    "OrderTreatment",
    "SymptomDuration",
    "TestCode",
    "code_tables",
    "icd10_key",
    "icd10_pattern",
    "value_word",
]

CODES_FILE = Path(__file__).with_name("codes.json")

Coding = tuple[str, str]  # (system, code)
Value = TypeVar("Value")


@dataclass(frozen=True)
class Icd10Pattern:
    """ICD-10-CM codes as ``codes.json`` writes them, in :func:`icd10_key` form.

    An exact code (``R634``), a stem (``M545``, written ``M54.5x``: the code and every code
    under it), or a range of three-character categories (``C00``-``C96``) less ``excluded``
    stems.
    """

    first: str
    last: str | None = None  # the range's last category; None for a code or a stem
    stem: bool = False
    excluded: tuple[str, ...] = ()

    @property
    def prefix(self) -> str:
        """What every code this pattern matches starts with (a quick first filter)."""
        if self.last is None:
            return self.first
        same = takewhile(lambda pair: pair[0] == pair[1], zip(self.first, self.last, strict=False))
        return "".join(first for first, _last in same)

    def matches(self, key: str) -> bool:
        """Whether the ICD-10-CM code ``key`` (an :func:`icd10_key`) is one of these."""
        if self.last is not None:
            # Categories are a letter and two characters: string order is code order.
            in_range = self.first <= key[:3] <= self.last
            return in_range and not any(key.startswith(stem) for stem in self.excluded)
        return key.startswith(self.first) if self.stem else key == self.first


@dataclass(frozen=True)
class FindingCode:
    """One finding of contract section 3."""

    code: str
    display: str
    definition: str
    group: str
    snomed: tuple[str, ...]
    icd10cm: tuple[Icd10Pattern, ...] = ()


@dataclass(frozen=True)
class HistoryOf:
    """Conditions coded ``snomed`` / ``icd10cm`` with a clinical status in ``clinical`` (or,
    with ``without_status``, none) count as ``finding`` (a healed stress fracture is a prior
    stress fracture)."""

    finding: str
    snomed: frozenset[str]
    icd10cm: tuple[Icd10Pattern, ...]
    clinical: frozenset[str]
    without_status: bool = False  # also when the Condition has no clinical status at all


@dataclass(frozen=True)
class ConditionFindingRules:
    """Which findings a Condition can state, and under which clinical status (section 3)."""

    current: frozenset[str]  # count while clinically active
    symptoms: frozenset[str]  # count while active and recorded within the window
    symptoms_without_status: bool  # ... and also without any clinical status (encounter dx)
    histories: frozenset[str]  # count whatever the clinical status
    max_age_months: Mapping[str, int]
    history_of: tuple[HistoryOf, ...]
    findings: frozenset[str]  # all of the above: what a Condition coded with its code states
    icd10cm: tuple[tuple[str, Icd10Pattern], ...]  # (finding, pattern) of those findings
    icd10_prefixes: tuple[str, ...]  # every code any rule here matches starts with one


@dataclass(frozen=True)
class SymptomDuration:
    """``finding`` is present when the onset lies ``days`` or more back (section 3)."""

    finding: str
    days: int
    onset_findings: frozenset[str]  # presenting complaints whose period dates the onset


@dataclass(frozen=True)
class ConditionCode:
    """One condition of contract section 4; ICD-10-CM entries ending in ``x`` are stems."""

    code: str
    display: str
    snomed: tuple[str, ...]
    icd10cm: tuple[str, ...]


@dataclass(frozen=True)
class TestCode:
    """One test of contract section 5, with the order codes that name it (CPT expanded)."""

    code: str
    display: str
    kind: str
    loinc: tuple[str, ...]
    cpt: tuple[str, ...]


@dataclass(frozen=True)
class OrderTextRule:
    """An order whose text names one of ``modality`` and one of ``site`` is ``test``."""

    test: str
    modality: tuple[str, ...]
    site: tuple[str, ...]


@dataclass(frozen=True)
class OrderTreatment:
    """A kind of treatment order (``code``): coded by one of ``cpt``, or whose text names one
    of ``procedure`` and one of ``kind`` ("Trochanteric bursa injection")."""

    code: str
    cpt: frozenset[str]
    procedure: tuple[str, ...]
    kind: tuple[str, ...]


@dataclass(frozen=True)
class OrderContrast:
    """An order coded by one of ``cpt`` (code -> its test) or whose text names one of
    ``words`` is the study ``contrast`` (e.g. "with contrast"); None: the study as the
    contract names it, without contrast ("MRI lumbar spine without contrast")."""

    contrast: str | None
    cpt: Mapping[str, str]
    words: tuple[str, ...]


@dataclass(frozen=True)
class CodeTables:
    """Everything in ``codes.json``, plus the indexes the mappers look codes up in."""

    version: str
    systems: Mapping[str, str]
    system_aliases: Mapping[str, frozenset[str]]  # system name -> other URLs naming it (OIDs)
    finding_groups: tuple[tuple[str, str], ...]  # (code, title)
    findings: tuple[FindingCode, ...]
    conditions: tuple[ConditionCode, ...]
    tests: tuple[TestCode, ...]
    card_topics: tuple[tuple[str, str], ...]  # (code, display)
    override_reasons: tuple[tuple[str, str], ...]  # (code, display), offered on order cards
    order_text_rules: tuple[OrderTextRule, ...]
    order_text_exclusions: tuple[str, ...]  # words that make an order's text no study of ours
    order_organ_sites: tuple[str, ...]  # sites that may name organs: excluded anywhere
    # Words that make an order a procedure when in its head, before its indication.
    order_procedure_words: tuple[str, ...]
    order_indication_words: tuple[str, ...]  # words that start an order's indication
    order_contrast: tuple[OrderContrast, ...]  # an order's own contrast, first match wins
    order_treatments: tuple[OrderTreatment, ...]  # treatment orders cautions warn against
    finding_values: Mapping[str, tuple[tuple[str, str, str], ...]]  # state -> (sys, code, disp)
    questionnaire_answers: tuple[tuple[str, str, str], ...]  # yes / no / unknown codings
    finding_by_coding: Mapping[Coding, str]
    value_state: Mapping[Coding, bool | None]
    value_words: Mapping[str, bool | None]  # a value written as text: word -> present?
    # None: an interpretation that says neither (Normal): a bare observation is then unknown
    interpretation_state: Mapping[Coding, bool | None]
    condition_by_coding: Mapping[Coding, str]  # ICD-10-CM codes by icd10_key
    condition_icd10_stems: tuple[tuple[str, str], ...]  # (icd10_key stem, condition)
    test_by_coding: Mapping[Coding, str]
    symptom: Coding
    factor_components: frozenset[Coding]
    observation_statuses: Mapping[str, int]  # counted status -> rank for tie-breaks
    condition_date_extensions: frozenset[str]  # date a Condition without recordedDate
    # Patient extension URL -> valueCode -> sex, read where gender is missing or unknown
    patient_sex_extensions: Mapping[str, Mapping[str, str]]
    condition_clinical_counted: frozenset[str]
    condition_verification_excluded: frozenset[str]
    condition_findings: ConditionFindingRules
    symptom_duration: SymptomDuration
    # A first, cheap screen of Conditions: a coding that names anything a Condition can say
    # is in condition_screen or, for ICD-10-CM, starts with one of condition_icd10_prefixes.
    condition_screen: frozenset[Coding]
    condition_icd10_prefixes: tuple[str, ...]

    def system(self, name: str) -> str:
        """The URL of a named code system, e.g. ``"finding"`` or ``"snomed"``."""
        return self.systems[name]

    def in_system(self, url: str, name: str) -> bool:
        """Whether ``url`` names the code system ``name``: its URL or an alias (an OID)."""
        return url == self.systems[name] or url in self.system_aliases.get(name, ())


def value_word(text: str) -> str:
    """A value written as text in the form ``value_words`` holds: trimmed, lower case."""
    return text.strip().rstrip(".").strip().lower()


def icd10_key(code: str) -> str:
    """ICD-10 codes compared without dots, upper case: EHRs send ``M54.30`` and ``M5430``."""
    return code.replace(".", "").strip().upper()


def icd10_pattern(entry: str | Mapping[str, Any]) -> Icd10Pattern:
    """One ``icd10cm`` entry of ``codes.json``: ``"R63.4"``, ``"M54.5x"`` or a range object."""
    if isinstance(entry, str):
        return Icd10Pattern(icd10_key(entry.removesuffix("x")), stem=entry.endswith("x"))
    excluded = tuple(icd10_key(code.removesuffix("x")) for code in entry.get("except", []))
    return Icd10Pattern(icd10_key(entry["from"]), icd10_key(entry["to"]), excluded=excluded)


def expand_cpt(entries: list[str]) -> tuple[str, ...]:
    """``"73501-73503"`` stands for each code of the range."""
    codes: list[str] = []
    for entry in entries:
        first, _, last = entry.partition("-")
        end = int(last or first)
        codes.extend(str(number) for number in range(int(first), end + 1))
    return tuple(codes)


@cache
def code_tables() -> CodeTables:
    """The code tables, read from ``codes.json`` on the first call only."""
    raw: dict[str, Any] = json.loads(CODES_FILE.read_text(encoding="utf-8"))
    systems: dict[str, str] = raw["systems"]
    findings = tuple(
        FindingCode(
            f["code"],
            f["display"],
            f["definition"],
            f["group"],
            tuple(f["snomed"]),
            tuple(map(icd10_pattern, f.get("icd10cm", []))),
        )
        for f in raw["findings"]
    )
    conditions = tuple(
        ConditionCode(c["code"], c["display"], tuple(c["snomed"]), tuple(c["icd10cm"]))
        for c in raw["conditions"]
    )
    tests = tuple(
        TestCode(t["code"], t["display"], t["kind"], tuple(t["loinc"]), expand_cpt(t["cpt"]))
        for t in raw["tests"]
    )
    values = {
        state: tuple((v["system"], v["code"], v["display"]) for v in entries)
        for state, entries in raw["finding_values"].items()
    }
    condition_findings = _condition_findings(raw["condition_findings"], findings)
    aliases = {name: frozenset(urls) for name, urls in raw["system_aliases"].items()}
    aliased = _Aliases({systems[name]: urls for name, urls in aliases.items()})
    condition_index = aliased(_condition_index(systems, conditions))
    icd10_stems = _icd10_stems(conditions)
    return CodeTables(
        version=raw["version"],
        systems=systems,
        system_aliases=aliases,
        finding_groups=tuple((g["code"], g["title"]) for g in raw["finding_groups"]),
        findings=findings,
        conditions=conditions,
        tests=tests,
        card_topics=tuple((t["code"], t["display"]) for t in raw["card_topics"]),
        override_reasons=tuple((r["code"], r["display"]) for r in raw["override_reasons"]),
        order_text_exclusions=tuple(raw["order_text_exclusions"]),
        order_organ_sites=tuple(raw["order_organ_sites"]),
        order_procedure_words=tuple(raw["order_procedure_words"]),
        order_indication_words=tuple(raw["order_indication_words"]),
        order_contrast=tuple(
            OrderContrast(c["contrast"], dict(c["cpt"]), tuple(c["words"]))
            for c in raw["order_contrast"]
        ),
        order_treatments=tuple(
            OrderTreatment(t["code"], frozenset(t["cpt"]), tuple(t["procedure"]), tuple(t["kind"]))
            for t in raw["order_treatments"]
        ),
        order_text_rules=tuple(
            OrderTextRule(r["test"], tuple(r["modality"]), tuple(r["site"]))
            for r in raw["order_text_rules"]
        ),
        finding_values=values,
        questionnaire_answers=tuple(
            coding
            for code in raw["questionnaire_answer_codes"]
            for entries in values.values()
            for coding in entries
            if coding[1] == code
        ),
        finding_by_coding=aliased(_finding_index(systems, findings)),
        value_state=aliased(_value_index(values)),
        value_words={
            word: {"present": True, "absent": False}.get(state)
            for state, words in raw["finding_value_words"].items()
            for word in words
        },
        interpretation_state=_interpretation_index(systems, raw["interpretations"]),
        condition_by_coding=condition_index,
        condition_icd10_stems=icd10_stems,
        test_by_coding=aliased(_test_index(systems, tests)),
        symptom=(systems["loinc"], raw["symptom"]["code"]),
        factor_components=frozenset(
            (systems["loinc"], code) for code in raw["symptom"]["factor_components"]
        ),
        observation_statuses=dict(raw["observation_status_rank"]),
        condition_date_extensions=frozenset(raw["condition_date_extensions"]),
        patient_sex_extensions={
            url: dict(codes) for url, codes in raw["patient_sex_extensions"].items()
        },
        condition_clinical_counted=frozenset(raw["condition_clinical_counted"]),
        condition_verification_excluded=frozenset(raw["condition_verification_excluded"]),
        condition_findings=condition_findings,
        symptom_duration=SymptomDuration(
            raw["symptom_duration"]["finding"],
            int(raw["symptom_duration"]["days"]),
            frozenset(raw["symptom_duration"]["onset_findings"]),
        ),
        condition_screen=frozenset(
            aliased(
                dict.fromkeys(
                    _condition_screen(systems, condition_index, findings, condition_findings)
                )
            )
        ),
        condition_icd10_prefixes=tuple(
            sorted(
                {key for (system, key) in condition_index if system == systems["icd10cm"]}
                | {stem for stem, _condition in icd10_stems}
                | set(condition_findings.icd10_prefixes)
            )
        ),
    )


class _Aliases:
    """Copies an index keyed by (system, code) under every alias of its systems too."""

    def __init__(self, aliases: Mapping[str, frozenset[str]]) -> None:
        self.aliases = aliases  # system URL -> the other URLs naming it

    def __call__(self, index: Mapping[Coding, Value]) -> dict[Coding, Value]:
        copied = dict(index)
        for (system, code), value in index.items():
            copied.update({(alias, code): value for alias in self.aliases.get(system, ())})
        return copied


def _condition_screen(
    systems: Mapping[str, str],
    condition_index: Mapping[Coding, str],
    findings: tuple[FindingCode, ...],
    rules: ConditionFindingRules,
) -> frozenset[Coding]:
    """Every non-ICD coding a Condition of ours can carry: diagnoses, findings, histories."""
    stated = _finding_index(systems, tuple(f for f in findings if f.code in rules.findings))
    histories = {(systems["snomed"], code) for h in rules.history_of for code in h.snomed}
    return (
        frozenset(c for c in condition_index if c[0] != systems["icd10cm"])
        | set(stated)
        | histories
    )


def _condition_findings(
    raw: Mapping[str, Any], findings: tuple[FindingCode, ...]
) -> ConditionFindingRules:
    stated = frozenset(raw["current"]) | frozenset(raw["symptoms"]) | frozenset(raw["histories"])
    icd10cm = tuple((f.code, p) for f in findings if f.code in stated for p in f.icd10cm)
    history_of = tuple(
        HistoryOf(
            h["finding"],
            frozenset(h["snomed"]),
            tuple(map(icd10_pattern, h["icd10cm"])),
            frozenset(h["clinical"]),
            bool(h.get("without_status", False)),
        )
        for h in raw["history_of"]
    )
    patterns = [p for _f, p in icd10cm] + [p for h in history_of for p in h.icd10cm]
    return ConditionFindingRules(
        current=frozenset(raw["current"]),
        symptoms=frozenset(raw["symptoms"]),
        symptoms_without_status=bool(raw.get("symptoms_without_status", False)),
        histories=frozenset(raw["histories"]),
        findings=stated,
        icd10cm=icd10cm,
        icd10_prefixes=tuple(sorted({p.prefix for p in patterns})),
        max_age_months=dict(raw["max_age_months"]),
        history_of=history_of,
    )


def _finding_index(
    systems: Mapping[str, str], findings: tuple[FindingCode, ...]
) -> dict[Coding, str]:
    index = {(systems["finding"], f.code): f.code for f in findings}
    index.update({(systems["snomed"], code): f.code for f in findings for code in f.snomed})
    return index


def _value_index(
    values: Mapping[str, tuple[tuple[str, str, str], ...]],
) -> dict[Coding, bool | None]:
    states: dict[str, bool | None] = {"present": True, "absent": False, "unknown": None}
    return {
        (system, code): states[state]
        for state, entries in values.items()
        for system, code, _display in entries
    }


def _interpretation_index(
    systems: Mapping[str, str], interpretations: Mapping[str, list[str]]
) -> dict[Coding, bool | None]:
    """Interpretation codes in every system they are sent in; None: says neither."""
    states: dict[str, bool | None] = {"present": True, "absent": False, "unknown": None}
    urls = [systems["interpretation"], *interpretations.get("also_systems", [])]
    return {
        (url, code): states[state]
        for url in urls
        for state in states
        for code in interpretations.get(state, [])
    }


def _condition_index(
    systems: Mapping[str, str], conditions: tuple[ConditionCode, ...]
) -> dict[Coding, str]:
    index = {(systems["condition"], c.code): c.code for c in conditions}
    index.update({(systems["snomed"], code): c.code for c in conditions for code in c.snomed})
    index.update(
        {
            (systems["icd10cm"], icd10_key(code)): c.code
            for c in conditions
            for code in c.icd10cm
            if not code.endswith("x")
        }
    )
    return index


def _icd10_stems(conditions: tuple[ConditionCode, ...]) -> tuple[tuple[str, str], ...]:
    return tuple(
        (icd10_key(code.removesuffix("x")), c.code)
        for c in conditions
        for code in c.icd10cm
        if code.endswith("x")
    )


def _test_index(systems: Mapping[str, str], tests: tuple[TestCode, ...]) -> dict[Coding, str]:
    index = {(systems["loinc"], code): t.code for t in tests for code in t.loinc}
    index.update({(systems["cpt"], code): t.code for t in tests for code in t.cpt})
    return index
