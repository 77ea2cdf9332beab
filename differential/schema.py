"""Typed model of the knowledge base file, validated by pydantic at load time."""

from __future__ import annotations

from functools import cached_property
from typing import Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from differential._cited import Cited, Code, Probability, Strict
from differential.note_phrases import NotePhrases

__all__ = [
    "ActionNote",
    "AppropriatenessScores",
    "AvoidRule",
    "CautionRule",
    "ConditionDef",
    "DecisiveResult",
    "DiagnosisWeight",
    "FindingDef",
    "FindingGroup",
    "FirstPresentStale",
    "Indication",
    "KnowledgeBase",
    "OtherCauses",
    "OtherSupport",
    "Pattern",
    "Reasoning",
    "RedFlagRule",
    "StandIn",
    "StatusFloor",
    "TestDef",
    "When",
    "WorkupRule",
]


class AtLeast(Strict):
    n: int = Field(ge=1)
    of: tuple[Code, ...] = Field(min_length=1)


class AtLeastAmongFirst(AtLeast):
    """At least ``n`` of ``of`` are among the first ``within`` of the ranking and in play."""

    within: int = Field(ge=1)


class When(Strict):
    """When a rule applies. Every key given must hold (see the file header)."""

    always: bool | None = None
    leading: Code | None = None
    likely: Code | None = None
    first: Code | None = None
    not_unlikely_all: tuple[Code, ...] | None = None
    not_unlikely_any: tuple[Code, ...] | None = None
    not_unlikely_at_least: AtLeast | None = None
    among_first: AtLeastAmongFirst | None = None
    supported: Code | None = None
    diagnosed: Code | None = None
    present: Code | None = None
    absent: Code | None = None
    unknown: Code | None = None
    any_present: tuple[Code, ...] | None = None
    not_done: Code | None = None
    done: Code | None = None
    flagged: Code | None = None
    ruled_out: Code | None = None
    age_under: int | None = Field(default=None, ge=1, le=130)
    age_over: int | None = Field(default=None, ge=1, le=130)
    any: tuple[When, ...] | None = None
    unless: When | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> When:
        if not self.model_fields_set:
            raise ValueError("a `when` clause needs at least one key")
        return self

    def condition_codes(self) -> set[str]:
        """Every condition code this clause reads (sub-clauses included)."""
        codes = set(self.not_unlikely_all or ()) | set(self.not_unlikely_any or ())
        named = (self.leading, self.likely, self.first, self.ruled_out, self.supported)
        codes |= {c for c in (*named, self.diagnosed) if c}
        for at_least in (self.not_unlikely_at_least, self.among_first):
            codes |= set(at_least.of) if at_least else set()
        for clause in (*(self.any or ()), *([self.unless] if self.unless else [])):
            codes |= clause.condition_codes()
        return codes

    def finding_codes(self) -> set[str]:
        """Every finding code this clause reads (sub-clauses included)."""
        codes = set(self.any_present or ())
        codes |= {c for c in (self.present, self.absent, self.unknown) if c}
        for clause in (*(self.any or ()), *([self.unless] if self.unless else [])):
            codes |= clause.finding_codes()
        return codes

    def test_codes(self) -> set[str]:
        """Every test code this clause reads (sub-clauses included)."""
        codes = {c for c in (self.not_done, self.done) if c}
        for clause in (*(self.any or ()), *([self.unless] if self.unless else [])):
            codes |= clause.test_codes()
        return codes


class DiagnosisWeight(Cited):
    given_condition: Probability
    otherwise: Probability
    rationale: str


Suspect = Literal["hip-joint", "sacroiliac-joint", "vascular", "tumour-or-infection", "referred"]


class SuspectVariant(Strict):
    """While `when` holds, the finding points to these kinds of cause as well, for the reason
    given (exertional pain over 50: spinal stenosis beside an artery)."""

    when: When
    suspects: tuple[Suspect, ...] = Field(min_length=1)
    rationale: str


class OtherSupport(Cited):
    """A finding that points away from the seven, to the kinds of cause it suggests
    (contract section 4); it counts only while `when` holds (e.g. groin pain over 50)."""

    finding: Code
    suspects: tuple[Suspect, ...] = Field(min_length=1)
    when: When | None = None
    rationale: str
    variants: tuple[SuspectVariant, ...] = ()


class AgeFactor(Strict):
    """Above this age, the prior odds of another cause are multiplied by `factor`."""

    over: int = Field(ge=1, le=130)
    factor: float = Field(gt=1.0, le=10.0)


class OtherCauses(Cited):
    """The open world: the pain has another cause than the seven (hip joint, sacroiliac
    joint, vascular, tumour or infection, referred pain). Ranked with the seven under its own
    code, so no condition is likely when nothing fits and a mimic is named when its findings
    are there."""

    code: Code = "another-cause"
    name: str
    prior: Probability
    prior_basis: str = ""  # the published population the prior comes from, and how adjusted
    default_likelihood: Probability  # for a finding whose row says nothing of other causes
    rationale: str
    supporting: tuple[OtherSupport, ...] = ()
    by_age: tuple[AgeFactor, ...] = ()
    likely_at: Probability | None = None
    unlikely_below: Probability | None = None


class SourceArticle(Strict):
    """The clinical source every "Article § …" citation points into."""

    title: str
    author: str
    clinic: str

    def label(self) -> str:
        """The article named in full, for cards and pages."""
        return f"{self.author}, {self.clinic}: “{self.title}”"


class Reasoning(Strict):
    likely_at: Probability
    unlikely_below: Probability
    # Prior share of presentations with two of the causes at once (e.g. a trochanteric
    # bursitis beside a disc sciatica): each status is then the condition's own.
    co_occurrence: float = Field(default=0.0, ge=0.0, lt=0.5)
    # A finding the knowledge base names at or below this chance in a condition rules that
    # condition out even beside another cause that explains the finding.
    excludes_at: float = Field(default=0.0, ge=0.0, lt=0.1)
    confirmed_share: Probability  # share of a condition an imaging result confirms, at least
    ruled_out_share: Probability  # share of a condition an imaging result rules out, at most
    evidence_ratio: float = Field(gt=1.0)
    # A condition is likely only on at least this many independent findings (or a decisive
    # result or a recorded diagnosis): one symptom never makes a diagnosis.
    likely_needs: int = Field(ge=1)
    # A finding present is a reason against a condition only when it is uncommon in it
    # (chance below this): a symptom half the patients with it have argues nothing away.
    uncommon_below: Probability = 0.35
    min_information_gain: float = Field(ge=0.0)
    max_next_tests: int = Field(ge=1)
    max_unknowns: int = Field(ge=0)
    diagnosis: DiagnosisWeight


class ConditionDef(Cited):
    code: Code
    name: str
    prior: Probability
    prior_basis: str = ""  # the published population the prior comes from, and how adjusted
    summary: str
    # The condition's own thresholds, where they differ from `reasoning`'s.
    likely_at: Probability | None = None
    unlikely_below: Probability | None = None
    # Above these ages its prior odds are multiplied (e.g. insufficiency fractures over 50).
    by_age: tuple[AgeFactor, ...] = ()


class FindingDef(Cited):
    code: Code
    label: str
    group: Literal["history", "examination", "imaging", "red-flag", "risk-factor"]
    presenting: bool = False
    derived_from_patient: bool = False
    likelihood: dict[str, Probability]
    # Which of the numbers above are published accuracy data: condition key -> the study.
    # Every other number is an ordinal estimate from the article (shown as such).
    published: dict[str, str] = Field(default_factory=dict)
    # P(present | not this condition) by age band, where it changes with age (e.g. disc
    # findings on MRI without symptoms): the first band whose `under` exceeds the age.
    otherwise_by_age: tuple[AgeBand, ...] = ()
    rationale: str
    # True where the source says a negative result is not sensitive enough to reassure: a
    # recorded absence then counts as a test done, never as evidence against anything.
    negative_uninformative: bool = False
    # True for a normal result (a normal film): it may argue against another cause, but it is
    # no reason for any of the seven, and never named as one.
    normal_result: bool = False

    @field_validator("likelihood")
    @classmethod
    def _has_otherwise_or_all(cls, value: dict[str, float]) -> dict[str, float]:
        if not value:
            raise ValueError("likelihood needs at least one entry")
        return value


class AgeBand(Strict):
    under: int = Field(ge=1, le=200)
    otherwise: Probability


class FirstPresentStale(Strict):
    """A result recorded absent that is stale once one of ``findings`` is first recorded
    present after it (no present record of that finding at or before the result)."""

    result: Code
    findings: tuple[Code, ...] = Field(min_length=1)


class TestDef(Cited):
    code: Code
    name: str
    kind: Literal["exam", "imaging", "lab"]
    cost: float = Field(gt=0.0)
    reveals: tuple[Code, ...]
    # Conditions the study confirms or stages: an order for it whose indication (reason) is
    # one of them is never rated "will not help" for want of information (contract 5).
    confirms: tuple[Code, ...] = ()
    # Conditions the study shows but that are diagnosed at the bedside first (a bursitis on
    # MRI): an order for one of them as its indication is "may be appropriate", never 1-3
    # (contract 5), and not "indicated" either, so a CT never stands in for it.
    shows: tuple[Code, ...] = ()
    # Complaints that make a result stale when new since it (recorded absent at or before
    # it, first present after it): a stale result neither settles anything nor keeps the test
    # from being asked for again. Recording a complaint again never makes a result stale.
    stale_after: tuple[Code, ...] = ()
    # Results read by their own rule instead (contract 5: a hip MRI without a bone stress
    # injury goes stale when a bone-stress finding is first recorded present after it).
    stale_first_present: tuple[FirstPresentStale, ...] = ()
    # False for a test the source itself calls too unreliable to decide anything (the tuning
    # fork): a result recorded still counts, but the plan never puts it forward.
    suggest: bool = True


class WorkupRule(Cited):
    id: Code
    test: Code
    when: When
    reason: str
    urgent: bool = False
    # The conditions the result points to, first (e.g. the hamstring test: the tendinopathy).
    about: tuple[Code, ...] = ()
    # Put before the studies this red flag calls for (the bone-fragility X-ray before the
    # fracture MRI), after those of every red flag listed before it.
    ahead_of_flag: Code | None = None
    # A screen for the conditions in `about` (the hop test for a stress fracture): it leads
    # the bedside tests while one of them ranks among the first `screen_leads_within`, and
    # otherwise follows the examinations that separate the leading candidates (still listed:
    # a cheap screen for a harmful condition is never dropped for being less likely).
    screen_leads_within: int | None = Field(default=None, ge=1)
    # While it waits, at most this many examinations go before it, so that it stays among
    # the few tests a clinician reads (1.24.0: a sacral stress fracture ranked fifth had its
    # hop screen listed fourth, off the next-test card).
    screen_waits_behind: int | None = Field(default=None, ge=0)


class AvoidRule(Cited):
    id: Code
    test: Code
    when: When
    reason: str


class CautionRule(Cited):
    id: Code
    condition: Code
    when: When
    text: str
    # Replaces `text` while its `when` holds (e.g. groin pain: the femoral neck).
    variants: tuple[ActionNote, ...] = ()
    # Guards against harm now (a fracture completed by impact): it leads the caution card,
    # whatever ranks first.
    guards_harm: bool = False
    # Kinds of drafted treatment orders (codes.json order_treatments) it warns against: on the
    # order hooks the caution card shows when one is drafted (a bursa injection ordered while
    # a stress fracture is possible).
    warns_on_orders: tuple[Code, ...] = ()


class ActionNote(Strict):
    """A sentence added to a red flag's action when its `when` holds."""

    when: When
    text: str


class OrderWarning(Strict):
    """What a red flag forbids of a kind of treatment order (codes.json order_treatments)."""

    order: Code
    text: str


class StudyVariant(Strict):
    """The studies a red flag calls for while `when` holds."""

    when: When
    calls_for: tuple[Code, ...] = Field(min_length=1)


class RedFlagRule(Cited):
    """A red flag: when it is raised, what it means, what to do now and which studies."""

    code: Code
    when: When
    name: str
    # The first that holds replaces `name`: a flag raised by either of two pictures names the
    # one recorded (weight loss with night pain is no "cancer history").
    name_variants: tuple[ActionNote, ...] = ()
    concern: str  # what the flag may mean; flags of one concern share a line on the card
    urgency: Literal["emergency", "same day", "within days"]
    action: str
    variants: tuple[ActionNote, ...] = ()  # the first that holds replaces `action`
    notes: tuple[ActionNote, ...] = ()  # each that holds is added to the action
    calls_for: tuple[Code, ...] = Field(min_length=1)  # tests, in the order to do them
    # The first that holds replaces `calls_for` (e.g. the MRI of the painful region).
    studies_variants: tuple[StudyVariant, ...] = ()
    # What the red-flag card's summary says when one of these treatment orders is drafted
    # (the tumour flag on a corticosteroid injection: "no corticosteroid injection ...").
    order_warnings: tuple[OrderWarning, ...] = ()


class DecisiveResult(Cited):
    """An imaging result that settles a condition whatever the symptoms say."""

    finding: Code
    condition: Code
    present: Literal["confirms"] | None = None
    absent: Literal["rules-out"] | None = None
    # An absent result counts only when recorded no earlier than the newest of these
    # findings present: a scan taken before the symptoms began says nothing of them.
    current_after: tuple[Code, ...] = ()
    rationale: str


class Pattern(Cited):
    """Findings the source ties together: while `when` holds, the absence of `not_against`
    is part of the picture and is not counted as evidence."""

    id: Code
    condition: Code
    when: When
    not_against: tuple[Code, ...] = Field(min_length=1)
    rationale: str


class FindingGroup(Cited):
    """Findings that measure one construct: the first recorded in a state counts in full,
    each further one with ``weight`` (0: not at all) so the construct is not counted twice."""

    id: Code
    findings: tuple[Code, ...] = Field(min_length=2)
    weight: float = Field(default=0.0, ge=0.0, lt=1.0)
    rationale: str


class StatusFloor(Cited):
    """While `when` holds, `condition` is at least "possible", whatever its probability
    (e.g. bone fragility with a bone-stress finding: an insufficiency fracture stays in
    play until imaging excludes it)."""

    id: Code
    condition: Code
    when: When
    rationale: str


class Indication(Cited):
    """A published guideline rates a test usually appropriate in this situation: it is not
    avoided, and an order for it is rated ``score``."""

    id: Code
    test: Code
    when: When
    score: int = Field(ge=7, le=9)
    reason: str


class GuidelineRating(Cited):
    """A guideline's rating of a study in a situation (e.g. ACR on the lumbar MRI by symptom
    duration): it decides an order's score unless a red flag calls for the study."""

    id: Code
    test: Code
    when: When
    score: int = Field(ge=1, le=9)
    summary: str = Field(max_length=100)  # the clinical reason in a card summary
    reason: str
    # Said on the order card and the next-test card: what to ask (e.g. how long).
    ask: str = ""


class Advice(Cited):
    """Advice shown on the differential card while ``when`` holds (e.g. NICE NG234)."""

    id: Code
    when: When
    text: str


class StandIn(Cited):
    """A study that stands in for another (CT for MRI): as useful as it only when that one is
    called for (by a red flag or the workup, 8-9), and then only where it cannot be done."""

    test: Code
    stands_for: Code
    score_when_needed: int = Field(ge=4, le=6)
    reason_when_needed: str
    reason_otherwise: str


class AppropriatenessScores(Cited):
    red_flag: int = Field(ge=7, le=9)
    indicated: int = Field(default=7, ge=4, le=9)  # confirms or stages the order's indication
    shows_indication: int = Field(default=5, ge=4, le=6)  # shows it, diagnosed clinically first
    urgent: int = Field(ge=1, le=9)
    workup: int = Field(ge=1, le=9)
    suggested: int = Field(ge=1, le=9)
    informative: int = Field(ge=1, le=9)
    already_done: int = Field(ge=1, le=9)
    uninformative: int = Field(ge=1, le=9)
    avoided: int = Field(ge=1, le=9)
    min_informative_gain: float = Field(ge=0.0)


class KnowledgeBase(Strict):
    """The whole knowledge base file, as validated data."""

    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    title: str
    source_article: SourceArticle
    reasoning: Reasoning
    other_causes: OtherCauses
    conditions: tuple[ConditionDef, ...] = Field(min_length=2)
    findings: tuple[FindingDef, ...] = Field(min_length=1)
    tests: tuple[TestDef, ...]
    bone_stress_findings: tuple[Code, ...] = ()
    # A finding supports a condition (for imaging to confirm or stage it) when it is this many
    # times as common with the condition as without it.
    imaging_support_ratio: float = Field(default=2.0, gt=1.0)
    workup: tuple[WorkupRule, ...] = ()
    avoid: tuple[AvoidRule, ...] = ()
    cautions: tuple[CautionRule, ...] = ()
    red_flags: tuple[RedFlagRule, ...] = ()
    decisive_results: tuple[DecisiveResult, ...] = ()
    patterns: tuple[Pattern, ...] = ()
    groups: tuple[FindingGroup, ...] = ()
    indications: tuple[Indication, ...] = ()
    guideline_ratings: tuple[GuidelineRating, ...] = ()
    advice: tuple[Advice, ...] = ()
    status_floors: tuple[StatusFloor, ...] = ()
    stand_ins: tuple[StandIn, ...] = ()
    appropriateness: AppropriatenessScores
    # The words that name findings in clinical notes (issue 25; contract section 3a).
    note_phrases: NotePhrases | None = None

    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    @cached_property
    def condition_by_code(self) -> dict[str, ConditionDef]:
        """Conditions keyed by code."""
        return {c.code: c for c in self.conditions}

    @cached_property
    def finding_by_code(self) -> dict[str, FindingDef]:
        """Findings keyed by code."""
        return {f.code: f for f in self.findings}

    @cached_property
    def finding_labels(self) -> dict[str, str]:
        """The label of every finding, by code."""
        return {f.code: f.label for f in self.findings}

    @cached_property
    def test_by_code(self) -> dict[str, TestDef]:
        """Tests keyed by code."""
        return {t.code: t for t in self.tests}

    @cached_property
    def presenting_findings(self) -> frozenset[str]:
        """Findings whose presence makes the differential active (contract section 5)."""
        return frozenset(f.code for f in self.findings if f.presenting)

    @cached_property
    def red_flag_findings(self) -> frozenset[str]:
        """Finding codes in the red-flag group."""
        return frozenset(f.code for f in self.findings if f.group == "red-flag")


When.model_rebuild()
FindingDef.model_rebuild()
OtherSupport.model_rebuild()
