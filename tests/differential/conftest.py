"""Fixtures for the reasoner's tests: the shipped knowledge base and a way to ask it."""

from __future__ import annotations

import pytest

from differential import KnowledgeBase, load_knowledge_base
from tests.support.reasoner import Ask, asker


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


@pytest.fixture
def ask(kb: KnowledgeBase) -> Ask:
    """ask(present=[...], absent=[...], diagnoses=[...], sex=...) -> Differential."""
    return asker(kb)
