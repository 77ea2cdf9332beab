"""The bases every row of the knowledge base builds on: strict models, codes, citations.

Kept apart from ``schema`` so that the sections built on them in modules of their own
(``note_phrases``) need not import the schema that holds them.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["ARTICLE_PARTS", "ARTICLE_SECTIONS", "Cited", "Code", "Probability", "Strict"]

Probability = Annotated[float, Field(gt=0.0, lt=1.0)]
Code = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]

ARTICLE_SECTIONS = (
    "Sciatica",
    "Gluteus Medius Syndrome",
    "Piriformis Syndrome",
    "Ischial Bursitis",
    "Trochanteric Bursitis",
    "High Hamstring Tendinopathy",
    "Hip Stress Fracture",
)
ARTICLE_PARTS = ("Symptoms", "Differentiation", "Testing", "Treatment")
_ARTICLE_CITE = re.compile(r"^Article § (?P<section>[^—]+) — (?P<part>\w+)$")
_PUBLISHED_CITE = "Published evidence: "


def _check_citation(cite: str) -> str:
    """A citation names an article section and part, or a published source."""
    if cite.startswith(_PUBLISHED_CITE) and len(cite) > len(_PUBLISHED_CITE) + 5:
        return cite
    match = _ARTICLE_CITE.match(cite)
    if not match:
        raise ValueError(
            f"citation {cite!r} must read 'Article § <section> — <part>' "
            "or 'Published evidence: <source>'"
        )
    if match["section"] not in ARTICLE_SECTIONS or match["part"] not in ARTICLE_PARTS:
        raise ValueError(f"citation {cite!r} names no section / part of the source article")
    return cite


class Strict(BaseModel):
    """A row that refuses unknown keys and never changes once read."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Cited(Strict):
    """A row that names its source: an article section and part, or published evidence."""

    cite: tuple[str, ...] = Field(min_length=1)

    @field_validator("cite", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return (value,) if isinstance(value, str) else value

    @field_validator("cite")
    @classmethod
    def _valid_citations(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for cite in value:
            _check_citation(cite)
        return value
