"""Every row names its source: an article section and part, or published evidence."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from differential._cited import Cited


@pytest.mark.parametrize(
    "cite",
    [
        "Article § Piriformis Syndrome — Testing",
        "Published evidence: Deyo 1992, JAMA (straight leg raise)",
        ["Article § Sciatica — Symptoms", "Article § Hip Stress Fracture — Treatment"],
    ],
)
def test_a_citation_names_an_article_section_and_part_or_a_published_source(
    cite: str | list[str],
) -> None:
    row = Cited.model_validate({"cite": cite})

    assert row.cite == ((cite,) if isinstance(cite, str) else tuple(cite))


@pytest.mark.parametrize(
    ("cite", "message"),
    [
        ("my notes", "must read 'Article § <section> — <part>'"),
        ("Article § Bunions — Testing", "names no section / part"),
        ("Article § Sciatica — Prognosis", "names no section / part"),
        ("Published evidence: ", "must read"),
        ([], "at least 1"),
    ],
)
def test_a_row_without_a_source_it_names_is_refused(cite: str | list[str], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Cited.model_validate({"cite": cite})


def test_a_row_refuses_keys_it_does_not_know() -> None:
    with pytest.raises(ValidationError, match="Extra inputs"):
        Cited.model_validate({"cite": "Article § Sciatica — Symptoms", "colour": "red"})
