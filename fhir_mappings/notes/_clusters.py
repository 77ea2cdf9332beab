"""Tests that count only together (contract section 3: the sacroiliac provocation cluster).

One sacroiliac test positive is not ``si-joint-provocation-positive``: two or more of
distraction, thigh thrust, compression and sacral thrust are (Laslett 2005). The tests' names
are exam phrases of the knowledge base row's ``cluster``; this module replaces their mentions
in a note by what the cluster says: present when enough are positive, absent when so many are
negative that the others could no longer make it, else nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from fhir_mappings.notes._nlp import Mention

__all__ = ["clustered"]

_WORD = re.compile(r"[a-z0-9]+(?:['/-][a-z0-9]+)*")
# finding code -> a test's name (lower case) -> the test it names
ClusterTests = Mapping[str, Mapping[str, str]]


def clustered(
    text: str,
    placed: Sequence[Mention],
    tests: ClusterTests,
    needs: Mapping[str, tuple[int, int]],
) -> list[Mention]:
    """The mentions, each cluster's tests replaced by one mention of its finding (or none).
    ``needs``: per finding, (positive tests that make it present, of how many tests)."""
    kept: list[Mention] = []
    results: dict[str, list[tuple[str, Mention]]] = {}
    for mention in placed:
        test = _test(text, mention, tests)
        if test is None:
            kept.append(mention)
        elif _counts(mention):
            results.setdefault(mention.label, []).append((test, mention))
    for code, stated in results.items():
        # The cluster's own name beside its tests ("SIJ provocation: thigh thrust +ve,
        # distraction -ve, ...") takes its result from the tests, not from the nearest "+ve".
        named = {m.sentence for _, m in stated}
        kept = [m for m in kept if not (m.label == code and m.exam and m.sentence in named)]
        kept += _result(code, stated, needs[code])
    return kept


def _test(text: str, mention: Mention, tests: ClusterTests) -> str | None:
    """The cluster test a mention names, if it is one."""
    names = tests.get(mention.label) if mention.exam else None
    if not names:
        return None
    return names.get(" ".join(_WORD.findall(text[mention.start : mention.end].lower())))


def _counts(mention: Mention) -> bool:
    """A test with a stated result, done, of this patient, now, and not in doubt."""
    doubtful = mention.uncertain or mention.hypothetical or mention.family
    unstated = mention.not_done or mention.historical or mention.empty_field
    return not (doubtful or unstated) and (mention.negated or mention.positive)


def _result(code: str, stated: list[tuple[str, Mention]], needs: tuple[int, int]) -> list[Mention]:
    """Present with ``needed`` tests positive; absent when more than ``of - needed`` are
    negative (a test read both ways in one note counts positive, as a finding does)."""
    needed, of = needs
    positive = {test: m for test, m in stated if not m.negated}
    negative = {test: m for test, m in stated if m.negated and test not in positive}
    if len(positive) >= needed:
        return [_as_finding(code, positive.values(), negated=False)]
    if len(negative) > of - needed:
        return [_as_finding(code, negative.values(), negated=True)]
    return []


def _as_finding(code: str, tests: Iterable[Mention], *, negated: bool) -> Mention:
    """The cluster's finding, quoted at its first test in the note."""
    first = min(tests, key=lambda m: m.start)
    return replace(first, label=code, kind="finding", negated=negated, positive=not negated)
