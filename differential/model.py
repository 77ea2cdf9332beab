"""The reasoner's inputs and outputs: plain, immutable, FHIR-free domain types.

Everything that crosses the boundary of ``differential`` is defined here, so that
``fhir_mappings`` can produce a :class:`Presentation` and ``cards`` can render a
:class:`Differential` without knowing how the reasoning works.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Literal

__all__ = [
    "SUSPECTS",
    "Candidate",
    "Caution",
    "Differential",
    "Evidence",
    "EvidenceKind",
    "OrderRating",
    "Presentation",
    "RatingCategory",
    "RedFlag",
    "Status",
    "TestAdvice",
]


class Status(StrEnum):
    """How plausible a condition is given what is known (contract section 5)."""

    LIKELY = "likely"
    POSSIBLE = "possible"
    UNLIKELY = "unlikely"


Sex = Literal["female", "male", "other", "unknown"]
# The kinds of cause `another-cause` may point to (contract section 4), in the order named.
SUSPECTS = ("hip-joint", "sacroiliac-joint", "vascular", "tumour-or-infection", "referred")
EvidenceKind = Literal["finding", "patient", "diagnosis"]
RatingCategory = Literal["usually-appropriate", "may-be-appropriate", "usually-not-appropriate"]


@dataclass(frozen=True)
class Presentation:
    """What is known about the patient, in the contract's finding codes.

    ``findings`` maps a finding code to ``True`` (present) or ``False`` (absent).
    A finding that is not a key is *unknown*: nobody recorded it.
    ``diagnoses`` holds condition codes already diagnosed (an active Condition, or on the
    order hooks the reason of the order being rated).
    ``recorded_at`` says when a finding's deciding record was made, where known: it decides
    whether an imaging result is as recent as the symptoms it is read against. A finding
    without a time is taken as current (e.g. entered by a clinician at the bedside).
    ``first_present_at`` and ``first_absent_at`` say when a finding was first recorded
    present, and first recorded absent, within the counted window, where known: they tell a
    complaint new since a result from one recorded again (contract 5, "done means dated").
    A present finding without a ``first_present_at`` is taken as first present at its
    ``recorded_at``. ``onset_at`` says when a complaint began, where a record says so (the
    pain was present from then on). ``recorded_states`` holds every dated record of a finding
    (time, present?), where known: the state a complaint was in when a result was taken, so
    that one gone at the result and back since is new (contract 5).
    """

    findings: Mapping[str, bool] = field(default_factory=dict)
    diagnoses: frozenset[str] = frozenset()
    sex: Sex | None = None
    age_years: int | None = None
    recorded_at: Mapping[str, datetime] = field(default_factory=dict)
    first_present_at: Mapping[str, datetime] = field(default_factory=dict)
    first_absent_at: Mapping[str, datetime] = field(default_factory=dict)
    onset_at: Mapping[str, datetime] = field(default_factory=dict)
    recorded_states: Mapping[str, tuple[tuple[datetime, bool], ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence for or against a candidate, with where the rule comes from."""

    finding: str  # a finding code, or a pseudo-finding such as "sex-female" or "diagnosed"
    label: str  # the finding in words, e.g. "pain radiating past the knee"
    present: bool  # the finding's recorded state
    likelihood_ratio: float  # how much this state multiplies the candidate's odds
    rationale: str  # why, in our words
    citation: str  # source-article section or published study
    # "finding": a contract finding code (goes into the card extension); "patient": derived from
    # the Patient resource (e.g. sex); "diagnosis": a recorded Condition.
    kind: EvidenceKind = "finding"
    # An imaging result that settles this condition whatever the symptoms say.
    decisive: bool = False


@dataclass(frozen=True)
class Candidate:
    """One condition of the differential (or another cause), ranked, with its reasons."""

    code: str
    name: str
    rank: int  # 1 = most likely
    status: Status
    # The condition's own probability, 0..1: alone or beside another cause. Two conditions
    # can both be probable, so these do not add up to 1.
    probability: float
    supporting: tuple[Evidence, ...]
    opposing: tuple[Evidence, ...]
    already_diagnosed: bool = False
    # Another cause only: the kinds of cause its findings point to (SUSPECTS).
    suspected: tuple[str, ...] = ()


@dataclass(frozen=True)
class TestAdvice:
    """A test to do next, or to avoid now, and why."""

    code: str  # test code of contract section 5
    name: str
    reason: str
    citation: str
    kind: Literal["exam", "imaging", "lab"]
    conditions: tuple[str, ...] = ()  # condition codes the advice is about
    information_gain: float = 0.0  # expected entropy reduction in bits (next tests)
    rule: str | None = None  # id of the knowledge-base rule that put it forward, if any
    urgent: bool = False  # to be done now (e.g. MRI for a leading stress fracture)
    red_flag: str | None = None  # code of the raised red flag that calls for it, if any


@dataclass(frozen=True)
class Caution:
    """A treatment that would harm, or likely fail for, a leading candidate."""

    id: str
    condition: str
    text: str
    citation: str
    # Kinds of drafted treatment orders it warns against (e.g. "steroid-or-bursa-injection").
    warns_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class RedFlag:
    """A finding or conclusion that overrides the differential, with the action to take."""

    code: str  # red-flag finding code, or "hip-stress-fracture"
    name: str
    action: str  # what to do now, adapted to what is already known
    citation: str
    concern: str = ""  # what the flag may mean; flags of one concern are read together
    urgency: str = ""  # "emergency", "same day" or "within days"
    calls_for: tuple[str, ...] = ()  # test codes, in the order to do them
    # (kind of treatment order, what the flag forbids of it): said when one is drafted.
    order_warnings: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class OrderRating:
    """How well an imaging order fits the current differential (1-9, as appropriateness
    criteria score: 7-9 usually appropriate, 4-6 may be appropriate, 1-3 usually not)."""

    test: str
    score: int
    category: RatingCategory
    reason: str
    alternative: str | None  # test code of the study (or exam) that would help instead
    summary: str = ""  # the clinical reason in a few words, for a card summary
    ask: str = ""  # a question for the clinician the rating turns on (e.g. how long)
    # The recorded findings the rating turned on, with their state (a guideline's timing
    # rule: the duration): where a note decided one, the card quotes it (contract 3a).
    findings: tuple[tuple[str, bool], ...] = ()


@dataclass(frozen=True)
class Differential:
    """The reasoner's answer for one presentation."""

    knowledge_version: str
    active: bool  # False when there is no presenting complaint and no diagnosis
    candidates: tuple[Candidate, ...] = ()
    next_tests: tuple[TestAdvice, ...] = ()
    avoid_tests: tuple[TestAdvice, ...] = ()
    cautions: tuple[Caution, ...] = ()
    red_flags: tuple[RedFlag, ...] = ()
    most_informative_unknowns: tuple[str, ...] = ()  # finding codes worth recording next
    # Words for the finding codes above (and any other code the answer names without evidence).
    finding_labels: Mapping[str, str] = field(default_factory=dict)
    # Tests a published guideline rates usually appropriate now (e.g. the hip X-ray as the
    # first film for a suspected stress fracture), with the reason and its source.
    indications: tuple[TestAdvice, ...] = ()
    # Advice the differential card gives while it holds (e.g. cancer history: image early
    # if the pain wakes the patient; NICE NG234).
    advice: tuple[str, ...] = ()
    # Every imaging study of the knowledge base, rated for this picture: what the order hooks
    # answer, derived from the same plan as every card, so the two never disagree.
    ratings: Mapping[str, OrderRating] = field(default_factory=dict)
    # The open world: the chance that the pain has another cause than the seven (its own
    # probability, as ranked among the candidates), and its name.
    other_probability: float = 0.0
    other_label: str = ""
    other_code: str = ""  # the code another cause is ranked under among the candidates
    # The clinical source article named in full; "Article § …" citations point into it.
    source_article: str = ""

    @property
    def condition_codes(self) -> frozenset[str]:
        """The codes of the conditions ranked."""
        return frozenset(candidate.code for candidate in self.candidates)
