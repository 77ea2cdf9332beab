"""Our rules for the medspaCy pipeline: context words, section headings, durations.

These are the clinical-writing conventions of the notes we read (sports-medicine shorthand):
"SLR +ve", "FADIR neg", "?" for doubt, "not done", "safety net", "FHx:", "PMH:", "3/52".
medspaCy's own ConText rules (negation, possibility, hypothetical, history, family) stay on;
these add to them.
"""

from __future__ import annotations

from typing import Any

__all__ = ["context_rules", "duration_rules", "section_rules"]

_RESULT_SCOPE = 4  # tokens between a test's name and its result ("SLR positive at 40")
_DOUBT_SCOPE = 5


def _context(literal: str, category: str, direction: str, **options: Any) -> Any:
    from medspacy.context import ConTextRule  # noqa: PLC0415 - the library loads on first use

    return ConTextRule(literal, category, direction=direction, **options)


def context_rules() -> list[Any]:
    """ConText rules beside the library's defaults."""
    positive = ["positive", "pos", "+ve", "+", "painful", "reproduces", "reproduced", "abnormal"]
    negative = ["negative", "neg", "-ve", "normal", "nil", "non-tender", "equal"]
    rules = [
        _context(w, "POSITIVE_RESULT", "BIDIRECTIONAL", max_scope=_RESULT_SCOPE) for w in positive
    ]
    rules += [
        _context(w, "NEGATED_EXISTENCE", "BIDIRECTIONAL", max_scope=_RESULT_SCOPE) for w in negative
    ]
    rules += [
        _context(w, "NEGATED_EXISTENCE", "FORWARD")
        for w in ("denies", "no", "not", "never", "without", "no hx of", "nil", "neg for")
    ]
    # "Fever: no" (a template answered) and "O/E: no TTP" (a heading, then a negation).
    rules += [
        _context(
            w,
            "NEGATED_EXISTENCE",
            "BIDIRECTIONAL",
            pattern=[{"TEXT": ":"}, {"LOWER": w}],
            max_scope=_RESULT_SCOPE,
        )
        for w in ("no", "nil", "none", "neg", "absent")
    ]
    rules += [
        _context(w, "POSSIBLE_EXISTENCE", "BIDIRECTIONAL", max_scope=_DOUBT_SCOPE)
        for w in ("?", "query", "equivocal", "unsure", "suspected", "possible", "?possible")
    ]
    rules += [
        _context(w, "HYPOTHETICAL", "FORWARD")
        for w in ("if", "return if", "seek help if", "safety net", "consider", "rule out", "r/o")
    ]
    rules += [
        _context(w, "NOT_DONE", "BIDIRECTIONAL", max_scope=_RESULT_SCOPE)
        for w in (
            "not done",
            "not tested",
            "not assessed",
            "not performed",
            "deferred",
            "pending",
            "to be done",
            "next visit",
            "not attempted",
        )
    ]
    rules += [
        _context(w, "HISTORICAL", "FORWARD")
        for w in ("previous", "prior", "old", "hx", "h/o", "history of", "pmh")
    ]
    family = ["mum", "mother", "dad", "father", "sister", "brother", "fhx", "fh", "grandmother"]
    rules += [_context(w, "FAMILY", "FORWARD") for w in family]
    return rules


def section_rules() -> list[Any]:
    """Headings whose section changes how a mention counts."""
    from medspacy.section_detection import SectionRule  # noqa: PLC0415

    headings = {
        "family_history": ("family history:", "fhx:", "fh:", "family hx:"),
        "past_medical_history": ("pmh:", "past medical history:", "phx:", "past history:"),
        "plan": ("plan:", "safety net:", "safety netting:", "advice:"),
        "exam": ("exam:", "on examination:", "examination:"),
        "history": ("hpi:", "history:", "sx:", "complaint:"),
    }
    # "O/E:" as a token pattern (the tokenizer splits the slash); it also gives the
    # sectionizer's token matcher a pattern, without which spaCy warns on every note.
    examined = [{"LOWER": "o"}, {"TEXT": "/"}, {"LOWER": "e"}, {"TEXT": ":"}]
    return [SectionRule("o/e:", "exam", pattern=examined)] + [
        SectionRule(literal, category)
        for category, literals in headings.items()
        for literal in literals
    ]


def duration_rules() -> list[Any]:
    """Durations of symptoms: "5 weeks of", "x 4 wks", "3/52", "3/12", "6 months"."""
    from medspacy.ner import TargetRule  # noqa: PLC0415

    units = [
        "day",
        "days",
        "d",
        "week",
        "weeks",
        "wk",
        "wks",
        "w",
        "month",
        "months",
        "mo",
        "mos",
        "mth",
        "mths",
        "year",
        "years",
        "yr",
        "yrs",
    ]
    return [
        TargetRule("duration", "DURATION", pattern=[{"LIKE_NUM": True}, {"LOWER": {"IN": units}}]),
        TargetRule(
            "duration fraction",
            "DURATION",
            pattern=[{"LIKE_NUM": True}, {"TEXT": "/"}, {"TEXT": {"IN": ["7", "52", "12"]}}],
        ),
        TargetRule(
            "duration fraction",
            "DURATION",
            pattern=[{"TEXT": {"REGEX": r"^\d{1,2}/(7|52|12)$"}}],
        ),
    ]
