"""Card and suggestion ids: valid, random version 4 UUIDs, never repeated, even across a fork."""

from __future__ import annotations

import multiprocessing
import os
import uuid

import pytest

from cards._ids import new_uuid


def test_ids_are_version_4_uuids_and_never_repeat() -> None:
    ids = [new_uuid() for _ in range(2000)]  # several refills of the buffer
    assert len(set(ids)) == len(ids)
    for text in ids[:50]:
        parsed = uuid.UUID(text)
        assert parsed.version == 4
        assert str(parsed) == text


def _child_ids(queue: multiprocessing.Queue[list[str]]) -> None:
    queue.put([new_uuid() for _ in range(20)])


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX only")
def test_a_forked_worker_does_not_repeat_its_parents_ids() -> None:
    new_uuid()  # the parent has a buffer before forking, as a gunicorn master would
    context = multiprocessing.get_context("fork")
    queue: multiprocessing.Queue[list[str]] = context.Queue()
    child = context.Process(target=_child_ids, args=(queue,))
    child.start()
    from_child = queue.get(timeout=10)
    child.join(timeout=10)
    from_parent = [new_uuid() for _ in range(20)]
    assert not set(from_child) & set(from_parent)
