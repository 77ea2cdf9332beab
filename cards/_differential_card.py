"""The ``differential`` card: the conclusion, its reasons, and the contract's extension."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cards._context import CardContext, Topic
from cards._extension import DIFFERENTIAL_EXTENSION, differential_extension
from cards._test_cards import guideline_home, guideline_note
from cards._text import escape_markdown, fit, humanise, inline, join_names
from cards.model import SUMMARY_MAX_CHARS, Card
from differential.model import Candidate, Differential, Evidence, Status

__all__ = ["DIFFERENTIAL_EXTENSION", "differential_cards", "differential_extension"]


_NOT_COUNTED = "Findings that were not recorded were treated as unknown, not as absent."


def differential_cards(differential: Differential, context: CardContext) -> list[Card]:
    """The one differential card, about the leading candidate."""
    ranked = _ranked(differential)
    card = context.card(
        Topic.DIFFERENTIAL,
        ranked[0].code,
        conditions=[c.code for c in ranked if c.status is not Status.UNLIKELY],
        summary=_summary(ranked, differential.other_code),
        detail=_detail(differential, ranked, context.data_notes),
        extension={
            DIFFERENTIAL_EXTENSION: differential_extension(differential, context.from_notes)
        },
    )
    return [card]


def _ranked(differential: Differential) -> list[Candidate]:
    return sorted(differential.candidates, key=lambda candidate: candidate.rank)


def _names(ranked: Sequence[Candidate], status: Status, other: str) -> list[str]:
    return [_short(c, other) for c in ranked if c.status is status]


def _short(candidate: Candidate, other: str) -> str:
    """The name as a summary says it: another cause with the kinds of cause it points to."""
    if candidate.code != other:
        return inline(candidate.name)
    if not candidate.suspected:
        return "another cause"
    return f"another cause ({join_names(_kind(kind) for kind in candidate.suspected)})"


def _kind(code: str) -> str:
    """A kind of cause in words: "referred" alone reads as an adjective with no noun."""
    return "referred pain" if code == "referred" else humanise(code)


def _summary(ranked: Sequence[Candidate], other: str) -> str:
    likely, possible = _names(ranked, Status.LIKELY, other), _names(ranked, Status.POSSIBLE, other)
    seven = [c for c in ranked if c.code != other]
    closest = seven[0].name if seven else ranked[0].name
    if not likely and ranked[0].code == other:
        # Another cause leads (on findings of its own): say so before naming any of the seven.
        return fit(
            f"None of the seven fits well: consider {_short(ranked[0], other)}. "
            f"Closest of the seven: {inline(closest)}",
            f"None of the seven fits well: consider {_short(ranked[0], other)}",
            f"None of the seven fits well; closest: {inline(closest)}",
            limit=SUMMARY_MAX_CHARS,
        )
    if not likely and not possible:
        return fit(
            f"None of the seven fits well; consider another cause. Closest: {closest}",
            f"No condition stands out yet; closest: {closest}",
            limit=SUMMARY_MAX_CHARS,
        )
    if not likely:
        # "first: X" above a more probable condition would read as an error (contract 4).
        first = (
            "first with findings of its own"
            if any(_held_back(c, ranked) for c in ranked)
            else "first"
        )
        many = f"{len(possible)} conditions possible, none likely yet; {first}: {possible[0]}"
        return fit(
            f"Not yet separated: {join_names(possible)}"
            if len(possible) > 1
            else f"Possible: {possible[0]}; nothing likely yet",
            many,
            limit=SUMMARY_MAX_CHARS,
        )
    # Each status is the condition's own: two (or more) can be there at once.
    if len(likely) == 1:
        head = f"Most likely: {likely[0]}"
    else:
        head = f"{'Two' if len(likely) == 2 else 'Several'} problems likely: {join_names(likely)}"
    others = f"; {len(possible)} other{'s' if len(possible) > 1 else ''} possible"
    return fit(
        f"{head}; possible: {join_names(possible)}" if possible else head,
        head + (others if possible else ""),
        head,
        limit=SUMMARY_MAX_CHARS,
    )


def _detail(
    differential: Differential, ranked: Sequence[Candidate], data_notes: Sequence[str]
) -> str:
    sections = [
        _data_notes_section(data_notes),
        _full_section("Most likely", [c for c in ranked if c.status is Status.LIKELY], ranked),
        _full_section("Possible", [c for c in ranked if c.status is Status.POSSIBLE], ranked),
        _unlikely_section([c for c in ranked if c.status is Status.UNLIKELY]),
        _other_causes_section(differential),
        # Knowledge-base advice that holds (e.g. cancer history: image early; NICE NG234).
        *(f"**Advice:** {escape_markdown(text)}" for text in differential.advice),
        _unknowns_section(differential.most_informative_unknowns, differential.finding_labels),
        guideline_note(differential) if guideline_home(differential) is Topic.DIFFERENTIAL else "",
        _NOT_COUNTED,
        _sources_section(ranked, differential.source_article),
    ]
    return "\n\n".join(section for section in sections if section)


def _data_notes_section(notes: Sequence[str]) -> str:
    # First, so a clinician reads the conclusion knowing it rests on part of the record.
    if not notes:
        return ""
    said = "; ".join(escape_markdown(note) for note in notes)
    return f"**Data incomplete:** {said}. The conclusion below rests on the data that was read."


def _held_back(candidate: Candidate, ranked: Sequence[Candidate]) -> bool:
    """Ranked after a less probable condition: sex, age or a risk factor raised it, but only
    a finding of its own puts a condition ahead (contract section 4)."""
    return any(
        other.rank < candidate.rank and other.probability < candidate.probability
        for other in ranked
    )


def _full_section(title: str, candidates: Sequence[Candidate], ranked: Sequence[Candidate]) -> str:
    if not candidates:
        return ""
    return f"**{title}**\n\n" + "\n".join(
        _candidate_lines(c, held_back=_held_back(c, ranked)) for c in candidates
    )


# Probability as a band, never a precise figure: most numbers behind it are estimates.
_BANDS = ((0.05, "under 5%"), (0.25, "5-25%"), (0.5, "25-50%"), (0.75, "50-75%"), (2.0, "over 75%"))


def band(probability: float) -> str:
    """The band a probability falls in, e.g. "50-75%"."""
    return next(label for upper, label in _BANDS if probability < upper)


# A possible condition can be more probable than not (one finding, or below its own
# threshold): without a word, "(50-75%)" under "Possible" reads as a contradiction.
_NOT_YET_LIKELY = " — not yet called likely: it needs more findings for it"
# Ranked after a less probable condition (contract 4): the band alone would read as an error.
_HELD_BACK = (
    "ranked after conditions with findings of their own: sex, age or a risk factor alone never"
    " puts a condition first"
)


def _candidate_lines(candidate: Candidate, *, held_back: bool = False) -> str:
    diagnosed = " — already diagnosed" if candidate.already_diagnosed else ""
    not_yet = candidate.status is Status.POSSIBLE and candidate.probability >= 0.5
    pending = _NOT_YET_LIKELY if not_yet else ""
    if held_back:
        pending = f"{pending}; {_HELD_BACK}" if pending else f" — {_HELD_BACK}"
    head = (
        f"- **{escape_markdown(candidate.name)}** ({band(candidate.probability)})"
        f"{diagnosed}{pending}"
    )
    if candidate.suspected:
        return f"{head}\n{_suspected_lines(candidate)}"
    if not candidate.supporting and not candidate.opposing:
        return f"{head}\n  - No findings for or against recorded yet"
    return (
        f"{head}\n"
        f"  - For: {_evidence_list(candidate.supporting)}\n"
        f"  - Against: {_evidence_list(candidate.opposing)}"
    )


def _suspected_lines(candidate: Candidate) -> str:
    """Another cause: the kinds of cause its findings point to, and for each finding why and
    which source says so."""
    kinds = join_names(_kind(kind) for kind in candidate.suspected)
    why = "\n".join(
        f"  - {escape_markdown(e.label)}: {escape_markdown(e.rationale)} "
        f"({escape_markdown(e.citation.removeprefix(_PUBLISHED))})"
        for e in candidate.supporting
    )
    return f"  - Suspected: {kinds}\n{why}"


def _evidence_list(evidence: Sequence[Evidence]) -> str:
    if not evidence:
        return "nothing recorded"
    return "; ".join(_evidence_text(e) for e in evidence)


def _evidence_text(evidence: Evidence) -> str:
    text = escape_markdown(evidence.label) + ("" if evidence.present else " — absent")
    return f"{text} (imaging result: settles it)" if evidence.decisive else text


def _unlikely_section(candidates: Sequence[Candidate]) -> str:
    """The unlikely conditions, those argued away by one reason named once."""
    if not candidates:
        return ""
    by_reason: dict[str, list[str]] = {}
    for candidate in candidates:
        reason = _evidence_text(candidate.opposing[0]) if candidate.opposing else ""
        names = by_reason.setdefault(reason, [])
        names.append(escape_markdown(inline(candidate.name) if names else candidate.name))
    parts = [
        join_names(names) + (f" (against: {reason})" if reason else "")
        for reason, names in by_reason.items()
    ]
    return "**Unlikely:** " + "; ".join(parts)


def _other_causes_section(differential: Differential) -> str:
    if not differential.other_label:
        return ""
    return (
        "Each probability is the condition's own (two can be there at once), shown as a band: "
        "most numbers behind them are estimates from the source article, some published "
        "accuracy data (see the knowledge pages)."
    )


def _unknowns_section(unknowns: Sequence[str], labels: Mapping[str, str]) -> str:
    if not unknowns:
        return ""
    findings = "; ".join(escape_markdown(labels.get(code) or humanise(code)) for code in unknowns)
    return f"**Would help most to record next:** {findings}"


def _sources_section(ranked: Sequence[Candidate], article: str) -> str:
    """Every source of the reasons shown: the article's sections under its full name, then
    the published studies."""
    citations = dict.fromkeys(
        e.citation for c in ranked for e in (*c.supporting, *c.opposing) if e.citation
    )
    sections = [c.removeprefix(_ARTICLE) for c in citations if c.startswith(_ARTICLE)]
    others = [c.removeprefix(_PUBLISHED) for c in citations if not c.startswith(_ARTICLE)]
    parts = []
    if sections:
        named = escape_markdown(article) if article else "the source article"
        parts.append(f"{named}, § " + "; § ".join(escape_markdown(s) for s in sections))
    parts += [escape_markdown(c) for c in others]
    return "**Sources:** " + "; ".join(parts) if parts else ""


_ARTICLE = "Article § "
_PUBLISHED = "Published evidence: "
