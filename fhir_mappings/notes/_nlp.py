"""The medspaCy pipeline that reads a note: target phrases, ConText, sections, durations.

Built once per worker and per phrase list (lazily, cached): loading spaCy and compiling the
rules costs far more than reading a note. The sentence splitter is spaCy's rule-based
``sentencizer`` (punctuation and line breaks): medspaCy's PyRuSH splitter costs several times
more per note and logs the text at DEBUG. Nothing here logs, keeps or returns note text
beyond the spans the caller asked for.
"""

from __future__ import annotations

import functools
import warnings
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["DURATION", "Mention", "mentions", "pipeline"]

DURATION = "DURATION"
# Our ConText categories beside medspaCy's defaults (negated, possible, hypothetical,
# historical, family): a stated test result, and a test not done.
POSITIVE = "POSITIVE_RESULT"
NOT_DONE = "NOT_DONE"
_SENTENCE_ENDS = [".", "!", "\n", "\n\n", ";"]  # not "?": it marks doubt, not an end


@dataclass(frozen=True)
class Mention:
    """One phrase of the note naming a finding (or a duration), with its context.

    ``start``/``end`` are character offsets in the text; ``sentence`` the offsets of its
    sentence. Context flags come from ConText and from the section the mention is in.
    """

    label: str  # a finding code, or DURATION
    # "finding": the finding's own words; "exam": a test's name, which needs a stated
    # result; "absent": words that say the finding is absent by themselves ("afebrile")
    kind: PhraseKind
    start: int
    end: int
    sentence: tuple[int, int]
    negated: bool = False
    uncertain: bool = False
    hypothetical: bool = False
    family: bool = False
    historical: bool = False
    positive: bool = False  # a stated positive result applies (exam phrases)
    not_done: bool = False
    empty_field: bool = False  # "Saddle numbness: " with nothing after it

    @property
    def exam(self) -> bool:
        """The phrase names a test: it counts only with a stated result."""
        return self.kind == "exam"

    @property
    def states_absent(self) -> bool:
        """The phrase says by itself that the finding is absent."""
        return self.kind == "absent"


PhraseKind = Literal["finding", "exam", "absent"]
Targets = tuple[tuple[str, str, PhraseKind], ...]  # (phrase, finding code, kind)


def _silence_library_logs() -> None:
    """PyRuSH and medspaCy log through loguru, with the text, at DEBUG: switch them off."""
    from loguru import logger  # noqa: PLC0415 - only where the library is used

    for name in ("PyRuSH", "medspacy", "quickumls"):
        logger.disable(name)


@functools.lru_cache(maxsize=4)
def pipeline(targets: Targets) -> Any:
    """The spaCy ``Language`` for these targets: built on first use, then shared."""
    _silence_library_logs()
    with warnings.catch_warnings():
        # spaCy's command-line helpers import click APIs deprecated in click 8.2: not ours.
        warnings.simplefilter("ignore", DeprecationWarning)
        import medspacy  # noqa: PLC0415 - spaCy costs ~1 s to import: only on first use

    from medspacy.ner import TargetRule  # noqa: PLC0415

    from fhir_mappings.notes import _rules  # noqa: PLC0415

    nlp = medspacy.load(
        medspacy_enable=["medspacy_tokenizer", "medspacy_target_matcher", "medspacy_context"],
        load_rules=False,  # the library's ConText rules are added as literals, below
    )
    nlp.add_pipe("sentencizer", first=True, config={"punct_chars": _SENTENCE_ENDS})
    nlp.add_pipe(_register_leading_doubt(), after="sentencizer")
    matcher = nlp.get_pipe("medspacy_target_matcher")
    matcher.add([TargetRule(p, code, metadata={"kind": kind}) for p, code, kind in targets])
    matcher.add(_rules.duration_rules())
    context = nlp.get_pipe("medspacy_context")
    context.add(_rules.library_context_rules())
    context.add(_rules.context_rules())
    sectionizer = nlp.add_pipe("medspacy_sectionizer", config={"rules": None, "span_attrs": None})
    sectionizer.add(_rules.section_rules())
    return nlp


def _register_leading_doubt() -> str:
    """A component that starts a sentence at a "?" leading it ("SLR +ve. ? radiation"):
    spaCy's sentencizer would hang it on the sentence before, doubting the wrong finding."""
    from spacy.language import Language  # noqa: PLC0415

    name = "gluteal_leading_doubt"
    if not Language.has_factory(name):

        @Language.component(name)
        def leading_doubt(doc: Any) -> Any:
            for token in doc[1:]:
                if token.text == "?" and doc[token.i - 1].text in _SENTENCE_ENDS:
                    token.is_sent_start = True
                    if token.i + 1 < len(doc):
                        doc[token.i + 1].is_sent_start = False
            return doc

    return name


def mentions(text: str, targets: Targets) -> list[Mention]:
    """Every finding phrase and duration in ``text``, with its context."""
    doc = pipeline(targets)(text)
    # Sentences listed once: ``Span.sent`` walks the whole document on every call.
    sentences = [(s.start, s.end, s.start_char, s.end_char) for s in doc.sents]
    starts = [sentence[0] for sentence in sentences]
    # A modifier inside a longer phrase ("can't sit", "has not passed urine") is that
    # finding's own words: it modifies no other finding of the sentence either. A phrase of
    # one word that is also a modifier ("normal", an X-ray's finding) still modifies others.
    inside = frozenset(i for ent in doc.ents if len(ent) > 1 for i in range(ent.start, ent.end))
    return [
        _mention(ent, sentences[bisect_right(starts, ent.start) - 1], text, inside)
        for ent in doc.ents
    ]


def _mention(
    ent: Any, sentence: tuple[int, int, int, int], text: str, inside: frozenset[int]
) -> Mention:
    categories = {
        mod.category: _distance(ent, mod.modifier_span)
        for mod in ent._.modifiers
        if not ent.start <= mod.modifier_span[0] < ent.end and mod.modifier_span[0] not in inside
    }
    section = _section_category(ent, text)
    negated = "NEGATED_EXISTENCE" in categories
    positive = POSITIVE in categories
    if negated and positive:  # "SLR +ve, FAIR neg": the nearer word decides
        negated = categories["NEGATED_EXISTENCE"] <= categories[POSITIVE]
        positive = not negated
    rule = ent._.target_rule
    kind = (rule.metadata or {}).get("kind") if rule is not None else None
    return Mention(
        label=ent.label_,
        kind=kind if kind in ("exam", "absent") else "finding",
        start=ent.start_char,
        end=ent.end_char,
        sentence=(sentence[2], sentence[3]),
        negated=negated,
        uncertain="POSSIBLE_EXISTENCE" in categories,
        hypothetical="HYPOTHETICAL" in categories or section in {"plan"},
        family="FAMILY" in categories or section == "family_history",
        historical="HISTORICAL" in categories or section == "past_medical_history",
        positive=positive,
        not_done=NOT_DONE in categories,
        empty_field=_empty_field(ent, sentence[1]),
    )


def _distance(ent: Any, span: tuple[int, int]) -> int:
    start, end = span
    return max(int(start) - int(ent.end), int(ent.start) - int(end), 0)


def _section_category(ent: Any, text: str) -> str | None:
    """The section heading over the mention, when no blank line lies between them."""
    section = ent._.section
    if section is None:
        return None
    # The note's own string: ``Doc.text`` joins every token again on each access.
    between = text[ent.doc[section.title_start].idx : ent.start_char]
    return None if "\n\n" in between else str(section.category)


def _empty_field(ent: Any, sentence_end: int) -> bool:
    """A template field with no entry: the phrase, a colon, then nothing on its line."""
    after: Sequence[Any] = ent.doc[ent.end : sentence_end]
    words = [token for token in after if not token.is_space]
    return (
        bool(words)
        and words[0].text == ":"
        and all(token.is_punct or set(token.text) <= {"_", "-"} for token in words)
    )
