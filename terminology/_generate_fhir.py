"""Write our terminology as FHIR R4 JSON resources into ``fhir/``, from codes.json.

Run ``python -m terminology._generate_fhir`` after editing codes.json and commit the output;
a test fails when the committed files and the code tables disagree.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from terminology._codes import CodeTables, FindingCode, code_tables
from terminology.codings import QUESTIONNAIRE_URL

__all__ = ["TERMINOLOGY_DIR", "build_terminology", "main", "render"]

TERMINOLOGY_DIR = Path(__file__).with_name("fhir")
BASE = "https://gluteal-cds.org/fhir"
PUBLISHER = "gluteal-cds"

Resource = dict[str, Any]


def build_terminology(tables: CodeTables | None = None) -> dict[str, Resource]:
    """Every terminology resource, by file name."""
    tables = tables or code_tables()
    resources = [
        _finding_code_system(tables),
        _code_system(
            tables, "condition", "Conditions", [(c.code, c.display) for c in tables.conditions]
        ),
        _code_system(tables, "test", "Tests", [(t.code, t.display) for t in tables.tests]),
        _code_system(tables, "card_topic", "Card topics", list(tables.card_topics)),
        _code_system(tables, "override_reason", "Override reasons", list(tables.override_reasons)),
        _snomed_alternates(tables),
        _questionnaire(tables),
    ]
    return {f"{r['resourceType']}-{r['id']}.json": r for r in resources}


def _header(tables: CodeTables, kind: str, ident: str, url: str, title: str) -> Resource:
    return {
        "resourceType": kind,
        "id": ident,
        "url": url,
        "version": tables.version,
        "name": "".join(part.capitalize() for part in ident.split("-")),
        "title": title,
        "status": "active",
        "experimental": False,
        "publisher": PUBLISHER,
    }


def _code_system(
    tables: CodeTables, system: str, title: str, concepts: list[tuple[str, str]]
) -> Resource:
    url = tables.system(system)
    resource = _header(tables, "CodeSystem", url.rsplit("/", 1)[1], url, f"gluteal-cds {title}")
    resource.update(
        caseSensitive=True,
        content="complete",
        count=len(concepts),
        concept=[{"code": code, "display": display} for code, display in concepts],
    )
    return resource


def _finding_code_system(tables: CodeTables) -> Resource:
    resource = _code_system(tables, "finding", "Findings", [])
    resource["property"] = [{"code": "group", "description": "Questionnaire group", "type": "code"}]
    resource["count"] = len(tables.findings)
    resource["concept"] = [
        {
            "code": f.code,
            "display": f.display,
            "definition": f.definition,
            "property": [{"code": "group", "valueCode": f.group}],
        }
        for f in tables.findings
    ]
    return resource


def _snomed_alternates(tables: CodeTables) -> Resource:
    url = f"{BASE}/ValueSet/finding-snomed-alternates"
    title = "SNOMED CT codes recognised as gluteal-cds findings"
    resource = _header(tables, "ValueSet", "finding-snomed-alternates", url, title)
    concepts = [{"code": code} for f in tables.findings for code in f.snomed]
    resource["compose"] = {"include": [{"system": tables.system("snomed"), "concept": concepts}]}
    return resource


def _questionnaire(tables: CodeTables) -> Resource:
    title = "Buttock and posterior hip pain in runners: findings"
    resource = _header(tables, "Questionnaire", "finding-capture", QUESTIONNAIRE_URL, title)
    resource["subjectType"] = ["Patient"]
    resource["item"] = [
        {
            "linkId": group,
            "type": "group",
            "text": group_title,
            "item": [_question(tables, f) for f in tables.findings if f.group == group],
        }
        for group, group_title in tables.finding_groups
    ]
    return resource


def _question(tables: CodeTables, finding: FindingCode) -> Resource:
    coding = {"system": tables.system("finding"), "code": finding.code, "display": finding.display}
    return {
        "linkId": finding.code,
        "code": [coding],
        "text": finding.display,
        "type": "choice",
        "answerOption": [
            {"valueCoding": {"system": system, "code": code, "display": display}}
            for system, code, display in tables.questionnaire_answers
        ],
    }


def render(resource: Resource) -> str:
    """The file text of a resource: stable key order and indentation, final newline."""
    return json.dumps(resource, indent=2, ensure_ascii=False) + "\n"


def main() -> None:
    """Write every terminology resource into ``fhir/``."""
    TERMINOLOGY_DIR.mkdir(exist_ok=True)
    for name, resource in build_terminology().items():
        (TERMINOLOGY_DIR / name).write_text(render(resource), encoding="utf-8")


if __name__ == "__main__":
    main()
