"""medspaCy's ConText step, run with its pairs checked cheaply first (same result).

The library tries every modifier against every other (to limit their scopes) and against
every phrase of the note, through several property look-ups per pair: on a 1 kB note that
was about a third of the reading time. Most pairs cannot touch (another sentence), which
one comparison of their token spans tells; only the pairs that can are handed to the
library's own ``limit_scope`` and ``modifies``, in the library's order, so every scope,
edge and attribute comes out as the library would set it.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

__all__ = ["register_context"]


def register_context() -> str:
    """The component that runs the (disabled) ``medspacy_context`` pipe this way."""
    from spacy.language import Language  # noqa: PLC0415 - spaCy only where it is used

    name = "gluteal_context"
    if not Language.has_factory(name):

        @Language.factory(name)
        def context(nlp: Any, name: str) -> Any:
            return functools.partial(run_context, nlp.get_pipe("medspacy_context"))

    return name


def run_context(context: Any, doc: Any) -> Any:
    """What ``context(doc)`` does, with the pairs that cannot touch left out early."""
    from medspacy.context import ConTextGraph  # noqa: PLC0415

    if context.prune_on_target_overlap or context.input_span_type != "ents":
        return context(doc)  # a set-up of the library this reader does not use
    targets = doc.ents
    modifiers = _modifiers(context, doc)
    _limit_scopes(modifiers)
    edges = _edges(targets, modifiers)
    for target, modifier in edges:
        target._.modifiers += (modifier,)
    if context.context_attributes_mapping:
        context.set_context_attributes(edges)
    doc._.context_graph = ConTextGraph(targets=targets, modifiers=modifiers, edges=edges)
    return doc


def _modifiers(context: Any, doc: Any) -> list[Any]:
    """The modifiers ConText's own matcher finds, each with its scope (its sentence)."""
    from medspacy.context import ConTextModifier  # noqa: PLC0415

    matcher = context._ConText__matcher  # private in the library: no accessor
    return [
        ConTextModifier(
            matcher.rule_map[context.nlp.vocab[match_id].text],
            start,
            end,
            doc,
            max_scope=context.max_scope,
        )
        for match_id, start, end in matcher(doc)
    ]


def _limit_scopes(modifiers: Sequence[Any]) -> None:
    """``ConTextGraph.update_scopes``: each pair limits the other's scope, in order. A pair
    whose scopes do not overlap (either way) changes nothing and is skipped."""
    from medspacy.util import tuple_overlaps  # noqa: PLC0415

    scopes = [modifier.scope_span for modifier in modifiers]
    for i in range(len(modifiers) - 1):
        for j in range(i + 1, len(modifiers)):
            if tuple_overlaps(scopes[i], scopes[j]) or tuple_overlaps(scopes[j], scopes[i]):
                modifiers[i].limit_scope(modifiers[j])
                modifiers[j].limit_scope(modifiers[i])
                scopes[i], scopes[j] = modifiers[i].scope_span, modifiers[j].scope_span


def _edges(targets: Sequence[Any], modifiers: Sequence[Any]) -> list[tuple[Any, Any]]:
    """``ConTextGraph.apply_modifiers``: (phrase, modifier) for each modifier that reaches
    the phrase. ``modifies`` is only true when the scope overlaps the phrase: that check
    comes first, the library's own decides."""
    from medspacy.util import tuple_overlaps  # noqa: PLC0415

    scopes = [modifier.scope_span for modifier in modifiers]
    for target in targets:
        span = (target.start, target.end)
        for modifier, scope in zip(modifiers, scopes, strict=True):
            if tuple_overlaps(scope, span) and modifier.modifies(target):
                modifier.modify(target)
    edges = []
    for modifier in modifiers:
        modifier.reduce_targets()
        edges += [(target, modifier) for target in modifier._targets]  # as the graph reads them
    return edges
