"""Knowledge base and reasoner: findings in, a ranked and explained differential out.

Pure Python: no HTTP, no FHIR. Typical use::

    kb = load_knowledge_base()
    result = evaluate(kb, Presentation(findings={"buttock-pain": True}))
"""

from differential.appropriateness import rate_order
from differential.engine import evaluate
from differential.errors import DifferentialError, KnowledgeBaseError
from differential.loader import default_knowledge_base_path, load_knowledge_base
from differential.model import (
    Candidate,
    Caution,
    Differential,
    Evidence,
    OrderRating,
    Presentation,
    RedFlag,
    Status,
    TestAdvice,
)
from differential.schema import KnowledgeBase

__all__ = [
    "Candidate",
    "Caution",
    "Differential",
    "DifferentialError",
    "Evidence",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "OrderRating",
    "Presentation",
    "RedFlag",
    "Status",
    "TestAdvice",
    "default_knowledge_base_path",
    "evaluate",
    "load_knowledge_base",
    "rate_order",
]
