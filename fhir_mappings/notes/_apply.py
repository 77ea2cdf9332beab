"""Findings read from notes counted beside the coded record (contract section 3a).

A note's finding counts like an Observation made at the note's time, within the same age
window (histories excepted: a stress fracture years ago is still a prior stress fracture).
A coded Observation or answer of the same day or newer wins; an undated note loses to any
coded finding and never makes a test done. A stated duration is an onset among the others
(:func:`note_onsets`, given to ``map_patient_record``); when it decided
``symptoms-over-6-weeks``, the reason quotes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from fhir_mappings._findings import earliest
from fhir_mappings._onset import Onset
from fhir_mappings.notes._read import ONSET, DatedFinding, NotesRead
from fhir_mappings.record import FindingSource, PatientRecord

__all__ = ["NoteSource", "apply_notes", "note_onsets"]

_OLDEST = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class NoteSource:
    """Where a finding was read: the note's reference, its words, its time."""

    reference: str
    quote: str
    when: datetime | None


def apply_notes(
    record: PatientRecord,
    notes: NotesRead,
    *,
    evaluated_at: datetime,
    max_age: timedelta,
    histories: frozenset[str] = frozenset(),
    test_findings: frozenset[str] = frozenset(),
) -> PatientRecord:
    """``record`` with the notes' findings where no coded finding of the same day or newer
    decides them; ``from_notes`` says which findings a note decided."""
    coded = {source.finding: source for source in record.sources}
    findings = dict(record.findings)
    sources = list(record.sources)
    from_notes: dict[str, NoteSource] = {}
    chosen = _newest(notes.findings, evaluated_at - max_age, histories, test_findings)
    for note in chosen:
        held = coded.get(note.finding)
        if note.finding in findings and (held is None or _coded_wins(held, note)):
            continue
        findings[note.finding] = note.present
        from_notes[note.finding] = NoteSource(note.reference, note.quote, note.when)
        if note.when is not None:
            sources = [s for s in sources if s.finding != note.finding]
            sources.append(FindingSource(note.finding, note.present, note.reference, note.when))
    dated = _dated_by_note(record, notes.onsets)
    if dated is not None:
        from_notes[ONSET] = NoteSource(dated.reference, dated.quote, dated.noted)
    oldest = evaluated_at - max_age
    first_present, first_absent = _firsts(record, notes.findings, oldest, histories)
    return replace(
        record,
        findings=findings,
        sources=tuple(sorted(sources, key=lambda s: s.finding)),
        from_notes=from_notes,
        problems=record.problems + notes.problems,
        first_present_at=first_present,
        first_absent_at=first_absent,
        recorded_states=_states(record, notes.findings, oldest, histories),
    )


def _firsts(
    record: PatientRecord,
    found: Iterable[DatedFinding],
    oldest: datetime,
    histories: frozenset[str],
) -> tuple[dict[str, datetime], dict[str, datetime]]:
    """When each finding was first recorded present / absent, the dated notes in the window
    counted beside the coded record (a complaint a note states is a record of it too)."""
    firsts = {True: dict(record.first_present_at), False: dict(record.first_absent_at)}
    for note, when in _counted(found, oldest, histories):
        earliest(firsts[note.present], note.finding, when)
    return firsts[True], firsts[False]


def _states(
    record: PatientRecord,
    found: Iterable[DatedFinding],
    oldest: datetime,
    histories: frozenset[str],
) -> dict[str, tuple[tuple[datetime, bool], ...]]:
    """Every dated record's state per finding, oldest first: the coded ones, and the dated
    notes in the window, except where a coded record of that finding has the same day (the
    coded one wins over a note, contract 3a)."""
    states = {code: list(coded) for code, coded in record.recorded_states.items()}
    coded_days = {
        code: {when.date() for when, _ in coded} for code, coded in record.recorded_states.items()
    }
    for note, when in _counted(found, oldest, histories):
        if when.date() not in coded_days.get(note.finding, set()):
            states.setdefault(note.finding, []).append((when, note.present))
    return {code: tuple(sorted(dated)) for code, dated in states.items()}


def _counted(
    found: Iterable[DatedFinding], oldest: datetime, histories: frozenset[str]
) -> Iterator[tuple[DatedFinding, datetime]]:
    """The dated notes' findings that count as records: in the window, or histories."""
    for note in found:
        if note.when is not None and (note.when >= oldest or note.finding in histories):
            yield note, note.when


def _coded_wins(coded: FindingSource, note: DatedFinding) -> bool:
    return note.when is None or coded.effective.date() >= note.when.date()


def _newest(
    found: Iterable[DatedFinding],
    oldest: datetime,
    histories: frozenset[str],
    test_findings: frozenset[str],
) -> list[DatedFinding]:
    """One finding per code: the newest note's (present over absent on the same note time)."""
    best: dict[str, DatedFinding] = {}
    for note in found:
        if note.when is None and note.finding in test_findings:
            continue  # an undated note never makes a test done
        if note.when is not None and note.when < oldest and note.finding not in histories:
            continue
        held = best.get(note.finding)
        if held is None or _rank(note) > _rank(held):
            best[note.finding] = note
    return list(best.values())


def _rank(note: DatedFinding) -> tuple[datetime, bool]:
    return (note.when or _OLDEST, note.present)


def note_onsets(notes: NotesRead, *, evaluated_at: datetime, max_age: timedelta) -> list[Onset]:
    """The onsets the notes state (a duration counted back from the note's time), from
    notes within the age window, for ``map_patient_record``'s symptom duration."""
    oldest = evaluated_at - max_age
    return [
        Onset(onset.when, onset.reference)
        for onset in notes.onsets
        if onset.when is not None and onset.noted is not None and onset.noted >= oldest
    ]


def _dated_by_note(record: PatientRecord, onsets: Iterable[DatedFinding]) -> DatedFinding | None:
    """The note whose stated duration decided ``symptoms-over-6-weeks``, if one did."""
    source = next((s for s in record.sources if s.finding == ONSET), None)
    if source is None:
        return None
    return next(
        (o for o in onsets if o.reference == source.resource_id and o.when == source.effective),
        None,
    )
