"""The patient's notes read into dated findings: selection, the read cache, the pipeline."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from differential.note_phrases import NotePhrases
from fhir_mappings._resources import RawResource, resource_id, unpack
from fhir_mappings.future import future_problem
from fhir_mappings.notes import _documents
from fhir_mappings.notes._cache import ReadCache
from fhir_mappings.notes._episodes import earlier_episodes
from fhir_mappings.notes._nlp import Mention, Targets, mentions
from fhir_mappings.notes._reading import AbsentMasks, Read, masked, mention_state, read_mentions
from fhir_mappings.notes._surroundings import Surroundings, place
from fhir_mappings.record import DataProblem
from fhir_mappings.subject import NOT_THIS_PATIENT

__all__ = [
    "MAX_NOTES",
    "DatedFinding",
    "NotePhraseSet",
    "NotesRead",
    "attachment_urls",
    "explain_text",
    "read_notes",
    "read_text",
]

ONSET = "symptoms-over-6-weeks"  # the finding a stated duration dates (contract 3)
MAX_NOTES = 20  # contract section 3a: at most the 20 newest notes
_CACHE = ReadCache()
_OLDEST = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class NotePhraseSet:
    """The knowledge base's note phrases as the reader takes them (hashable, cached on)."""

    targets: Targets
    histories: frozenset[str] = frozenset()
    # (finding code, words that keep its absent phrases from counting): a tuple, hashable
    absent_masks: tuple[tuple[str, frozenset[str]], ...] = ()
    # the words around a phrase: the part or course next to it, its study, its volume
    surroundings: Surroundings = field(default_factory=Surroundings)
    absent_first: frozenset[str] = frozenset()  # an absent mention wins in a note
    earlier_only: frozenset[str] = frozenset()  # not read from today's assessment

    @classmethod
    def of(cls, phrases: NotePhrases) -> NotePhraseSet:
        """The knowledge base's ``note_phrases`` section as the reader takes it."""
        return cls(
            phrases.targets,
            frozenset(phrases.histories),
            phrases.absent_masks,
            Surroundings.of(phrases),
            phrases.absent_first,
            frozenset(phrases.earlier_only),
        )

    @functools.cached_property
    def digest(self) -> str:
        """A short fingerprint of the phrases: a reading under other phrases is not reused."""
        return hashlib.sha256(repr(self).encode()).hexdigest()[:16]

    @functools.cached_property
    def masks(self) -> AbsentMasks:
        """``absent_masks`` as a look-up by finding code, built once."""
        return dict(self.absent_masks)


@dataclass(frozen=True)
class DatedFinding:
    """A finding read from one note, with the note's reference and time (None: undated)."""

    finding: str
    present: bool
    quote: str
    reference: str
    when: datetime | None
    noted: datetime | None = None  # for an onset: the time of the note that states it


@dataclass(frozen=True)
class NotesRead:
    """Every note's findings, the stated durations as onsets, and the unreadable notes."""

    findings: tuple[DatedFinding, ...] = ()
    onsets: tuple[DatedFinding, ...] = ()  # symptoms-over-6-weeks read as an onset: `when`
    problems: tuple[DataProblem, ...] = ()
    notes_read: int = 0
    cache_hits: int = field(default=0, compare=False)


def read_notes(
    value: object,
    patient_id: str | None,
    phrases: NotePhraseSet,
    *,
    fetched: Mapping[str, bytes] | None = None,
    fhir_server: str | None = None,
    cache: ReadCache = _CACHE,
    evaluated_at: datetime | None = None,
    undated_year: int | None = None,
) -> NotesRead:
    """Read the ``notes`` prefetch value (Bundle, resource, SearchResults or None).

    A DocumentReference about another patient, or about nobody, is never read and counts as
    unreadable (contract section 2). ``fetched`` holds attachments the caller read from
    their ``url`` on ``fhirServer``. With ``evaluated_at``, a note dated beyond it (plus the
    clock skew of :mod:`fhir_mappings.future`) is not read and counts as unreadable. A
    note's year (``undated_year``, the evaluation's, for an undated one) sets which years it
    names are past.
    """
    unpacked = unpack(value, "notes")
    problems = list(unpacked.problems)
    chosen = _chosen(unpacked.resources, patient_id, fhir_server, problems, evaluated_at)
    found: list[DatedFinding] = []
    onsets: list[DatedFinding] = []
    hits = cache.hits
    for raw in chosen:
        document = _documents.note_document(raw, fetched or {}, evaluated_at)
        if isinstance(document, DataProblem):
            problems.append(document)
            continue
        try:
            # the note's year dates its words (review 10b): it is part of what was read
            year = document.when.year if document.when is not None else undated_year
            key = (phrases.digest, document.key, str(year))
            read = cache.get_or_read(
                key, functools.partial(read_text, document.text, phrases, year=year)
            )
        except Exception:  # noqa: BLE001 - a library fault on one note must not fail the call
            problems.append(DataProblem("DocumentReference", resource_id(raw), "not readable"))
            continue
        found += [
            DatedFinding(f.finding, f.present, f.quote, document.reference, document.when)
            for f in read.findings
        ]
        if read.duration_days is not None and document.when is not None:
            onset = document.when - timedelta(days=read.duration_days)
            onsets.append(
                DatedFinding(
                    ONSET, True, read.duration_quote, document.reference, onset, document.when
                )
            )
    return NotesRead(tuple(found), tuple(onsets), tuple(problems), len(chosen), cache.hits - hits)


def _chosen(
    resources: list[RawResource],
    patient_id: str | None,
    fhir_server: str | None,
    problems: list[DataProblem],
    evaluated_at: datetime | None = None,
) -> list[RawResource]:
    """This patient's current notes, the 20 newest (undated ones last); with
    ``evaluated_at``, none dated beyond it."""
    kept = []
    for raw in resources:
        if raw.get("resourceType") != "DocumentReference":
            continue
        if patient_id is None or not _documents.about_patient(raw, patient_id, fhir_server):
            # One reason for every resource left out so (a metric counts them).
            problems.append(DataProblem("DocumentReference", resource_id(raw), NOT_THIS_PATIENT))
        elif evaluated_at is not None and (future := _future(raw, evaluated_at)):
            problems.append(future)
        elif _documents.counts(raw):
            kept.append(raw)
    kept.sort(key=lambda raw: _documents.note_time(raw, evaluated_at) or _OLDEST, reverse=True)
    return kept[:MAX_NOTES]


def _future(raw: RawResource, evaluated_at: datetime) -> DataProblem | None:
    """Unreadable only when every date the note carries lies beyond ``evaluated_at``."""
    if _documents.note_time(raw, evaluated_at) is not None:
        return None
    when = _documents.note_time(raw)
    return future_problem("DocumentReference", resource_id(raw), when, evaluated_at)


def attachment_urls(
    resources: Sequence[RawResource],
    patient_id: str | None,
    fhir_server: str | None = None,
    evaluated_at: datetime | None = None,
) -> list[str]:
    """The ``url`` of each note to read whose text is not inline: this patient's current
    notes only, the 20 newest, a readable content type (the caller fetches them)."""
    urls = []
    for raw in _chosen(list(resources), patient_id, fhir_server, [], evaluated_at):
        url = _documents.text_url(raw)
        if url is not None:
            urls.append(url)
    return urls


def read_text(text: str, phrases: NotePhraseSet, *, year: int | None = None) -> Read:
    """What one note's text says: its findings, each with its quote, and its stated duration.
    ``year``: the note's year (undated: this year), before which a year named is the past."""
    found = _placed(text, phrases, year)
    return read_mentions(
        text,
        found,
        phrases.histories,
        masks=phrases.masks,
        absent_first=phrases.absent_first,
        earlier_only=phrases.earlier_only,
    )


def explain_text(
    text: str, phrases: NotePhraseSet, *, year: int | None = None
) -> list[tuple[Mention, bool | None]]:
    """Every mention in ``text`` and how it counts (True present, False absent, None not a
    finding): for /try and ``gluteal-cds explain``, which show the clinician what was read."""
    return [
        (
            m,
            mention_state(
                m,
                phrases.histories,
                masked=masked(text, m, phrases.masks),
                earlier_only=phrases.earlier_only,
            ),
        )
        for m in _placed(text, phrases, year)
    ]


def _placed(text: str, phrases: NotePhraseSet, year: int | None) -> list[Mention]:
    """The note's mentions as their surroundings name them, an earlier episode's marked a
    history (session 10). An undated note is read as of this year: the evaluation is now."""
    found = place(text, mentions(text, phrases.targets), phrases.surroundings)
    year = datetime.now(UTC).year if year is None else year
    return earlier_episodes(text, found, phrases.histories, year)
