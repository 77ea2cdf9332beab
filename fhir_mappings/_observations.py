"""One Observation to finding readings (contract section 3).

:func:`names_finding` looks at the raw dict only, so that the many observations that do not
matter (labs, vitals) are never validated. The rest is read from the validated model of
the elements we read (:mod:`fhir_mappings._observation_model`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from fhir_mappings._observation_model import (
    VALUE_ELEMENTS,
    CodeableConcept,
    Observation,
    ObservationComponent,
)
from fhir_mappings._resources import RawResource, codings, instant
from fhir_mappings.future import beyond
from terminology import CodeTables, value_word

__all__ = ["Reading", "names_finding", "readings"]


@dataclass(frozen=True)
class Reading:
    """One observation's statement about one finding; ``present`` None means unknown."""

    finding: str
    present: bool | None
    resource_id: str | None
    effective: datetime
    status_rank: int  # amended/corrected above final above preliminary, for tie-breaks


def names_finding(raw: RawResource, tables: CodeTables) -> bool:
    """Whether a raw Observation names a finding anywhere the contract looks (cheap)."""
    index = tables.finding_by_coding
    code = raw.get("code")
    # Most of a prefetch is labs and vitals with one plain coding: decide those at once.
    single = _single_coding(code)
    if single is not None and single != tables.symptom:
        return single in index or _names_in_components(raw, tables)
    is_symptom = False
    for coding in codings(code):
        if coding in index:
            return True
        is_symptom = is_symptom or coding == tables.symptom
    if not is_symptom:
        return _names_in_components(raw, tables)
    if any(coding in index for coding in codings(raw.get("valueCodeableConcept"))):
        return True
    components = raw.get("component")
    return isinstance(components, list) and any(
        coding in index
        for component in components
        if isinstance(component, dict)
        for coding in codings(component.get("valueCodeableConcept"))
    )


def _names_in_components(raw: RawResource, tables: CodeTables) -> bool:
    """Whether a component is coded with a finding (a flowsheet screen, one row each)."""
    components = raw.get("component")
    return isinstance(components, list) and any(
        coding in tables.finding_by_coding
        for component in components
        if isinstance(component, dict)
        for coding in codings(component.get("code"))
    )


def _single_coding(concept: object) -> tuple[str, str] | None:
    """The (system, code) of a plain CodeableConcept with exactly one coding, else None."""
    if type(concept) is dict:
        entries = concept.get("coding")
        if type(entries) is list and len(entries) == 1 and type(entries[0]) is dict:
            system, code = entries[0].get("system"), entries[0].get("code")
            if type(system) is str and type(code) is str:
                return system, code
    return None


def effective_instant(obs: Observation, now: datetime | None = None) -> datetime | None:
    """When the observation holds: effective[x] (a period's end, else start), else issued.
    With ``now``, a period still running (its end beyond ``now``: "9999-12-31", a planned
    end date) is dated by its start."""
    period = obs.effectivePeriod
    end = instant(period.end) if period else None
    candidates = (
        obs.effectiveDateTime,
        None if beyond(end, now) else end,
        period.start if period else None,
        obs.effectiveInstant,
        obs.issued,
    )
    return next((moment for c in candidates if (moment := instant(c)) is not None), None)


def readings(
    obs: Observation, tables: CodeTables, evaluated_at: datetime, max_age: timedelta
) -> list[Reading] | None:
    """The observation's readings, or None when it does not count (status, date, age)."""
    rank = tables.observation_statuses.get(str(obs.status), 0)
    effective = effective_instant(obs, evaluated_at)
    if not rank or effective is None or evaluated_at - effective > max_age:
        return None
    return [
        Reading(finding, present, obs.id, effective, rank)
        for finding, present in _statements(obs, tables)
    ]


def _statements(obs: Observation, tables: CodeTables) -> Iterator[tuple[str, bool | None]]:
    direct = _finding_codes(obs.code, tables)
    if direct or not _is_symptom(obs, tables):
        state = _observation_state(obs, tables)
        for finding in direct:
            yield finding, state
        # A panel (a flowsheet screen): each component coded with a finding, by its value.
        for component in obs.component or []:
            for finding in _finding_codes(component.code, tables):
                yield finding, _observation_state(component, tables, unvalued=None)
        return
    # HL7 Symptoms IG: the symptom is the value, its factors are coded components.
    stated = _interpreted(obs.interpretation, tables, default=True)
    for finding in _finding_codes(obs.valueCodeableConcept, tables):
        yield finding, stated
    if stated is False:
        return  # factors of a symptom the patient does not have say nothing
    for component in obs.component or []:
        if _is_factor(component, tables):
            for finding in _finding_codes(component.valueCodeableConcept, tables):
                yield finding, _component_state(component, tables)


def _finding_codes(concept: CodeableConcept | None, tables: CodeTables) -> list[str]:
    found = (
        tables.finding_by_coding.get((str(c.system), str(c.code)))
        for c in (concept.coding or [] if concept else [])
    )
    return list(dict.fromkeys(f for f in found if f is not None))


def _concept_codings(concept: CodeableConcept | None) -> set[tuple[str, str]]:
    return {(str(c.system), str(c.code)) for c in (concept.coding or [] if concept else [])}


def _is_symptom(obs: Observation, tables: CodeTables) -> bool:
    return tables.symptom in _concept_codings(obs.code)


def _is_factor(component: ObservationComponent, tables: CodeTables) -> bool:
    return bool(_concept_codings(component.code) & tables.factor_components)


def _decided(states: set[bool | None], default: bool | None) -> bool | None:
    """One clear state; contradictory codes make the statement unknown."""
    if not states:
        return default
    return states.pop() if len(states) == 1 else None


def _interpretation_states(
    concepts: Iterable[CodeableConcept] | None, tables: CodeTables
) -> tuple[set[bool | None], bool]:
    """What the interpretations say (present / absent), and whether one says neither
    (Normal, Indeterminate, text we cannot read): that one takes away the "observed, so
    present" default."""
    found: set[bool | None] = set()
    for concept in concepts or []:
        coded = {
            tables.interpretation_state[coding]
            for coding in _concept_codings(concept)
            if coding in tables.interpretation_state
        }
        # Text only when no coding is known: "Negative" sent without a code. Text we cannot
        # read ("Unable to assess", "Declined") says neither, so it is not "observed" either.
        word = value_word(concept.text) if not coded and concept.text else ""
        found |= coded or ({tables.value_words.get(word)} if word else set())
    return found - {None}, None in found


def _interpreted(
    concepts: Iterable[CodeableConcept] | None, tables: CodeTables, *, default: bool | None
) -> bool | None:
    """The state the interpretations give; ``default`` when none says anything."""
    states, undecided = _interpretation_states(concepts, tables)
    return _decided(states, default=None if undecided else default)


def _observation_state(
    obs: Observation | ObservationComponent, tables: CodeTables, unvalued: bool | None = True
) -> bool | None:
    """The state an observation (or a component coded with a finding) gives its finding.
    ``unvalued``: what no value at all says. An Observation coded with the finding is the
    finding observed (contract 3); a panel's row left without a value is a question nobody
    answered, never a red flag (a flowsheet's empty "saddle numbness" row)."""
    if obs.dataAbsentReason is not None:
        return None
    states, undecided = _interpretation_states(obs.interpretation, tables)
    if obs.valueBoolean is not None:
        states.add(bool(obs.valueBoolean))
    elif obs.valueCodeableConcept is not None or obs.valueString is not None:
        valued = (
            _value_state(obs.valueCodeableConcept, tables)
            if obs.valueCodeableConcept is not None
            else _word_state(obs.valueString, tables)
        )
        states |= {valued} if valued is not None else set()
    given = obs.model_fields_set & VALUE_ELEMENTS  # usually one, or none at all
    has_value = any(getattr(obs, name) is not None for name in given)
    # No value at all means "observed", i.e. present; any other value must say so itself,
    # and an interpretation of Normal takes the "observed" reading away.
    return _decided(states, default=None if has_value or undecided else unvalued)


def _value_state(concept: CodeableConcept, tables: CodeTables) -> bool | None:
    """The value's codings decide; its text only when none of them is one we know."""
    states = {
        tables.value_state[coding]
        for coding in _concept_codings(concept)
        if coding in tables.value_state
    }
    if not states:
        return _word_state(concept.text, tables)
    return _decided(states, default=None)


def _word_state(text: object, tables: CodeTables) -> bool | None:
    """A whole answer word ("Yes", "negative"); any other text says nothing."""
    return tables.value_words.get(value_word(text)) if isinstance(text, str) else None


def _component_state(component: ObservationComponent, tables: CodeTables) -> bool | None:
    if component.dataAbsentReason is not None:
        return None
    return _interpreted(component.interpretation, tables, default=True)
