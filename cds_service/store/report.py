"""The feedback report: how clinicians received each kind of card and each recommended test."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from cds_service.settings import Settings
from cds_service.store._engine import existing_database_engine, normalise_url
from cds_service.store._errors import StoreError, describe_failure
from cds_service.store.models import FeedbackEntry, ShownCard
from cds_service.store.report_text import safe_cell

__all__ = [
    "FeedbackReport",
    "Tally",
    "build_report",
    "database_name",
    "feedback_report",
    "render_report",
]

_NO_REASON = "(no reason given)"


@dataclass
class Tally:
    """How often cards of one kind were shown, accepted and overridden, and why overridden."""

    shown: int = 0
    accepted: int = 0
    overridden: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    comments: list[str] = field(default_factory=list)

    @property
    def accept_rate(self) -> float | None:
        """Accepted per card shown (None when none was shown)."""
        return self.accepted / self.shown if self.shown else None

    @property
    def override_rate(self) -> float | None:
        """Overridden per card shown (None when none was shown)."""
        return self.overridden / self.shown if self.shown else None

    def count(self, entry: FeedbackEntry) -> None:
        """Add one feedback entry."""
        if entry.outcome == "accepted":
            self.accepted += 1
            return
        self.overridden += 1
        self.reasons[safe_cell(_reason_label(entry))] += 1
        if entry.user_comment:
            self.comments.append(safe_cell(entry.user_comment))


@dataclass
class FeedbackReport:
    """Tallies per card topic and per (recommended test, topic)."""

    by_topic: dict[str, Tally] = field(default_factory=dict)
    by_test: dict[tuple[str, str], Tally] = field(default_factory=dict)
    knowledge_versions: set[str] = field(default_factory=set)
    unmatched_feedback: int = 0  # feedback about cards this store never saw


def feedback_report(settings: Settings) -> FeedbackReport:
    """The report of the configured database, which it reads and never creates or migrates.

    Raises :class:`~cds_service.store.StoreError` naming the database (password hidden)
    when it does not exist, cannot be reached or holds no feedback tables.
    """
    where = database_name(settings.database_url)
    try:
        engine = existing_database_engine(settings.database_url)
    except FileNotFoundError:
        raise StoreError(
            f"no feedback database at {where}: start the service or run "
            "`gluteal-cds migrate` there first, or set GLUTEAL_CDS_DATABASE_URL"
        ) from None
    try:
        with Session(engine) as session:
            return build_report(session)
    except SQLAlchemyError as exc:
        reason = describe_failure(exc)
        raise StoreError(f"cannot read the feedback database {where}: {reason}") from exc
    finally:
        engine.dispose()


def database_name(raw_url: str) -> str:
    """The database URL as it may be shown: the password hidden."""
    return normalise_url(raw_url).render_as_string(hide_password=True)


# What identifies one card shown to a clinician: a hook instance resends the same card under
# a new uuid (the sandbox re-calls order-select on every selection), so within a hook
# instance a card is its service, topic, conditions and tests; without one, its uuid.
_CardKey = tuple[object, ...]


def _card_key(row: ShownCard) -> _CardKey:
    if row.hook_instance:
        conditions, tests = tuple(row.conditions or ()), tuple(row.tests or ())
        return (row.hook_instance, row.service_id, row.topic, conditions, tests)
    return (row.card_uuid,)


def build_report(session: Session) -> FeedbackReport:
    """Read shown cards and feedback and tally them (docs/feedback.md says how).

    A card resent within one hook instance counts once, shown and answered. An accepted
    card counts as accepted for its topic and only for the tests of the suggestions
    accepted; an overridden card counts against its topic and every test it recommended.
    """
    report = FeedbackReport()
    cards: dict[str, ShownCard] = {}  # card uuid -> its shown row
    seen: set[_CardKey] = set()
    for row in session.execute(select(ShownCard)).scalars():
        cards[row.card_uuid] = row
        if row.knowledge_version:
            report.knowledge_versions.add(row.knowledge_version)
        if (key := _card_key(row)) not in seen:
            seen.add(key)
            for tally in _tallies(report, row.topic, row.tests):
                tally.shown += 1
    counted: set[tuple[_CardKey, str]] = set()
    for entry in session.execute(select(FeedbackEntry)).scalars():
        shown_row = cards.get(entry.card_uuid)
        if shown_row is None:
            report.unmatched_feedback += 1
        elif (answer := (_card_key(shown_row), entry.outcome)) not in counted:
            counted.add(answer)
            for tally in _tallies(report, shown_row.topic, _tests_answered(shown_row, entry)):
                tally.count(entry)
    return report


def _tests_answered(row: ShownCard, entry: FeedbackEntry) -> list[str]:
    """The tests an entry speaks for: an acceptance, those of the suggestions accepted."""
    if entry.outcome != "accepted":
        return list(row.tests or ())
    by_suggestion = row.suggestion_tests or {}
    tests = [t for s in entry.accepted_suggestions or () for t in by_suggestion.get(s, ())]
    return [t for t in dict.fromkeys(tests) if t in (row.tests or ())]


def render_report(report: FeedbackReport) -> str:
    """Format the report as plain text for a terminal."""
    versions = ", ".join(sorted(report.knowledge_versions)) or "none"
    lines = [f"Feedback report (knowledge versions: {versions})", "", "By card topic"]
    lines += _section(report.by_topic.items())
    lines += ["", "By recommended test (test / card topic)"]
    lines += _section((f"{test} / {topic}", t) for (test, topic), t in report.by_test.items())
    if report.unmatched_feedback:
        lines += ["", f"Feedback about cards not recorded as shown: {report.unmatched_feedback}"]
    return "\n".join(lines) + "\n"


def _tallies(report: FeedbackReport, topic: str, tests: Iterable[str]) -> list[Tally]:
    found = [report.by_topic.setdefault(topic, Tally())]
    found += [report.by_test.setdefault((test, topic), Tally()) for test in tests]
    return found


def _section(rows: Iterable[tuple[str, Tally]]) -> list[str]:
    ordered = sorted(rows, key=lambda row: row[0])
    if not ordered:
        return ["  (nothing recorded)"]
    ordered = [(safe_cell(name), tally) for name, tally in ordered]
    width = max(len(name) for name, _ in ordered)  # the longest name sets the column
    head = f"{'shown':>7} {'accepted':>9} {'overridden':>11} {'accept %':>9} {'override %':>11}"
    lines = [f"  {'':{width}}  {head}"]
    for name, tally in ordered:
        counts = f"{tally.shown:>7} {tally.accepted:>9} {tally.overridden:>11}"
        counts += f" {_percent(tally.accept_rate):>9} {_percent(tally.override_rate):>11}"
        lines.append(f"  {name:{width}}  {counts}")
        lines += [f"      override reason: {r}: {n}" for r, n in _by_count(tally.reasons)]
        lines += [f"      comment: {_one_line(c)}" for c in tally.comments]
    return lines


def _percent(rate: float | None) -> str:
    return "-" if rate is None else f"{100 * rate:.0f}"


def _by_count(counter: Mapping[str, int]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))


def _reason_label(entry: FeedbackEntry) -> str:
    code = entry.override_reason_code
    if not code:
        return _NO_REASON
    label = f"{code} ({entry.override_reason_display})" if entry.override_reason_display else code
    return f"{label} [{entry.override_reason_system}]" if entry.override_reason_system else label


def _one_line(comment: str, limit: int = 200) -> str:
    flat = " ".join(comment.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
