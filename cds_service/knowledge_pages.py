"""HTML pages that explain the knowledge behind a card: ``/knowledge/<condition code>``.

Cards link here (``source.url``), so a clinician can see which findings count for and
against a condition, how much, and where that comes from.
"""

from __future__ import annotations

from html import escape

from differential import KnowledgeBase
from differential.schema import ConditionDef, FindingDef

__all__ = ["render_condition_page", "render_index_page"]

_STYLE = "body{font-family:sans-serif;max-width:48em;margin:2em auto;line-height:1.4}"


def _page(title: str, body: str, version: str) -> str:
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}"
        f"</title><style>{_STYLE}</style></head><body><h1>{escape(title)}</h1>{body}"
        f"<p><small>gluteal-cds knowledge base {escape(version)}</small></p></body></html>"
    )


def render_index_page(kb: KnowledgeBase) -> str:
    """The list of conditions, each linking to its page."""
    items = "".join(
        f"<li><a href='knowledge/{escape(c.code)}'>{escape(c.name)}</a></li>" for c in kb.conditions
    )
    return _page(kb.title, f"<ul>{items}</ul>", kb.version)


def render_condition_page(kb: KnowledgeBase, condition: ConditionDef) -> str:
    """The condition's summary, the findings that bear on it and their sources."""
    rows = "".join(_finding_row(finding, condition.code) for finding in kb.findings)
    body = (
        f"<p>{escape(condition.summary)}</p>"
        f"<h2>Findings</h2><table><tr><th>finding</th><th>present with this condition</th>"
        f"<th>why</th></tr>{rows}</table>"
        f"<h2>Sources</h2><ul>{''.join(f'<li>{escape(c)}</li>' for c in condition.cite)}</ul>"
    )
    return _page(condition.name, body, kb.version)


def _finding_row(finding: FindingDef, condition: str) -> str:
    chance = finding.likelihood.get(condition, finding.likelihood.get("otherwise"))
    if chance is None:
        return ""
    return (
        f"<tr><td>{escape(finding.label)}</td><td>{chance:.0%}</td>"
        f"<td>{escape(finding.rationale)}</td></tr>"
    )
