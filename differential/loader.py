"""Load the knowledge base file: parse YAML, validate with pydantic, check references.

Every problem is collected and reported with its line in the file, so a reviewer who breaks
the file learns at start-up exactly where.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from differential.errors import KnowledgeBaseError
from differential.schema import KnowledgeBase, TestDef, When

__all__ = ["default_knowledge_base_path", "load_knowledge_base"]

Location = tuple[str | int, ...]
# libyaml when available: parsing is most of the load time.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def default_knowledge_base_path() -> Path:
    """The knowledge base shipped with the package."""
    return Path(str(resources.files("differential") / "knowledge" / "gluteal-pain.yaml"))


def load_knowledge_base(path: Path | str | None = None) -> KnowledgeBase:
    """Read, validate and cross-check a knowledge base file; raise with every problem found."""
    file = Path(path) if path is not None else default_knowledge_base_path()
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise KnowledgeBaseError(f"{file}: cannot read: {exc.strerror}") from exc
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(f"{file}: not valid YAML: {exc}") from exc
    lines = dict(_node_lines(node, ())) if node is not None else {}
    try:
        kb = KnowledgeBase.model_validate(data)
    except ValidationError as exc:
        problems = [_locate(file, lines, tuple(err["loc"]), err["msg"]) for err in exc.errors()]
        raise KnowledgeBaseError("\n".join(problems)) from None
    problems = [_locate(file, lines, loc, msg) for loc, msg in _cross_check(kb)]
    if problems:
        raise KnowledgeBaseError("\n".join(problems))
    return kb


def _node_lines(node: yaml.Node, loc: Location) -> Iterator[tuple[Location, int]]:
    """Yield the 1-based line of every mapping key and sequence item in the document."""
    yield loc, node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _node_lines(value, (*loc, str(key.value)))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _node_lines(item, (*loc, index))


def _locate(file: Path, lines: dict[Location, int], loc: Location, msg: str) -> str:
    # Pydantic may point below what the YAML has (a missing key): fall back to the parent.
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in lines:
            line = lines[loc[:cut]]
            break
    else:  # pragma: no cover - the root is always present
        line = 1
    where = ".".join(str(part) for part in loc) or "(file)"
    return f"{file}:{line}: {where}: {msg}"


def _cross_check(kb: KnowledgeBase) -> list[tuple[Location, str]]:
    """References between sections must resolve and identifiers must be unique."""
    checks = (
        _unique_ids,
        _likelihood_keys,
        _test_references,
        _rule_references,
        _other_cause_references,
        _thresholds,
    )
    return [problem for check in checks for problem in check(kb)]


def _unique_ids(kb: KnowledgeBase) -> list[tuple[Location, str]]:
    problems = _duplicates("conditions", [c.code for c in kb.conditions])
    problems += _duplicates("findings", [f.code for f in kb.findings])
    problems += _duplicates("tests", [t.code for t in kb.tests])
    for section in ("workup", "avoid", "cautions"):
        problems += _duplicates(section, [rule.id for rule in getattr(kb, section)])
    return problems + _duplicates("red_flags", [rule.code for rule in kb.red_flags])


def _likelihood_keys(kb: KnowledgeBase) -> list[tuple[Location, str]]:
    conditions = set(kb.condition_by_code)
    problems: list[tuple[Location, str]] = []
    for i, finding in enumerate(kb.findings):
        named = set(finding.likelihood) - {"otherwise", "other"}
        problems += [
            (("findings", i, "published", key), "names no number of this finding")
            for key in sorted(set(finding.published) - set(finding.likelihood))
        ]
        problems += [
            (("findings", i, "likelihood", key), "unknown condition")
            for key in sorted(named - conditions)
        ]
        if "otherwise" not in finding.likelihood and named != conditions:
            problems.append((("findings", i, "likelihood"), "name every condition or `otherwise`"))
    return problems


def _test_references(kb: KnowledgeBase) -> list[tuple[Location, str]]:
    problems: list[tuple[Location, str]] = [
        (("tests", i, "reveals", j), f"unknown finding {code!r}")
        for i, test in enumerate(kb.tests)
        for j, code in enumerate(test.reveals)
        if code not in kb.finding_by_code
    ]
    for section in ("workup", "avoid"):
        problems += [
            ((section, i, "test"), f"unknown test {rule.test!r}")
            for i, rule in enumerate(getattr(kb, section))
            if rule.test not in kb.test_by_code
        ]
    return problems


def _rule_references(kb: KnowledgeBase) -> list[tuple[Location, str]]:
    conditions, findings = set(kb.condition_by_code), set(kb.finding_by_code)
    tests = set(kb.test_by_code)
    problems: list[tuple[Location, str]] = [
        (("cautions", i, "condition"), f"unknown condition {caution.condition!r}")
        for i, caution in enumerate(kb.cautions)
        if caution.condition not in conditions
    ]
    sections = ("workup", "avoid", "cautions", "red_flags", "patterns", "indications")
    for section in (*sections, "guideline_ratings", "advice"):
        for i, rule in enumerate(getattr(kb, section)):
            problems += _check_when((section, i, "when"), rule.when, kb)
    for i, flag in enumerate(kb.red_flags):
        problems += _unknown(("red_flags", i, "calls_for"), flag.calls_for, tests, "test")
        for part in ("name_variants", "variants", "notes"):
            for j, note in enumerate(getattr(flag, part)):
                problems += _check_when(("red_flags", i, part, j, "when"), note.when, kb)
    for i, caution in enumerate(kb.cautions):
        for j, variant in enumerate(caution.variants):
            problems += _check_when(("cautions", i, "variants", j, "when"), variant.when, kb)
    problems += _unknown(("bone_stress_findings",), kb.bone_stress_findings, findings, "finding")
    for i, result in enumerate(kb.decisive_results):
        loc = ("decisive_results", i)
        problems += _unknown(loc, (result.finding, *result.current_after), findings, "finding")
        problems += _unknown(loc, (result.condition,), conditions, "condition")
    for i, pattern in enumerate(kb.patterns):
        problems += _unknown(("patterns", i), pattern.not_against, findings, "finding")
        problems += _unknown(("patterns", i), (pattern.condition,), conditions, "condition")
    for i, group in enumerate(kb.groups):
        problems += _unknown(("groups", i, "findings"), group.findings, findings, "finding")
    problems += _plan_references(kb)
    for section in ("indications", "stand_ins", "guideline_ratings"):
        for i, rule in enumerate(getattr(kb, section)):
            named = (rule.test, *([rule.stands_for] if section == "stand_ins" else []))
            problems += _unknown((section, i), named, tests, "test")
    return problems


def _plan_references(kb: KnowledgeBase) -> list[tuple[Location, str]]:
    """What the plan's newer fields name: conditions a study confirms, findings that make a
    result stale, the red flag a study goes ahead of, a red flag's study variants."""
    conditions, findings = set(kb.condition_by_code), set(kb.finding_by_code)
    tests, flags = set(kb.test_by_code), {flag.code for flag in kb.red_flags}
    problems: list[tuple[Location, str]] = []
    for i, test in enumerate(kb.tests):
        problems += _unknown(("tests", i, "confirms"), test.confirms, conditions, "condition")
        problems += _unknown(("tests", i, "stale_after"), test.stale_after, findings, "finding")
        problems += _stale_references(("tests", i), test, findings)
    for i, rule in enumerate(kb.workup):
        problems += _unknown(("workup", i, "about"), rule.about, conditions, "condition")
        ahead = () if rule.ahead_of_flag is None else (rule.ahead_of_flag,)
        problems += _unknown(("workup", i, "ahead_of_flag"), ahead, flags, "red flag")
    for i, flag in enumerate(kb.red_flags):
        for j, study in enumerate(flag.studies_variants):
            loc: Location = ("red_flags", i, "studies_variants", j)
            problems += _unknown(loc, study.calls_for, tests, "test")
            problems += _check_when((*loc, "when"), study.when, kb)
    return problems


def _other_cause_references(kb: KnowledgeBase) -> list[tuple[Location, str]]:
    """The findings that point to another cause, the status floors, and their `when`, must
    resolve."""
    problems: list[tuple[Location, str]] = []
    for i, floor in enumerate(kb.status_floors):
        floor_loc: Location = ("status_floors", i)
        problems += _unknown(floor_loc, (floor.condition,), set(kb.condition_by_code), "condition")
        problems += _check_when((*floor_loc, "when"), floor.when, kb)
    for i, support in enumerate(kb.other_causes.supporting):
        loc: Location = ("other_causes", "supporting", i)
        problems += _unknown(loc, (support.finding,), set(kb.finding_by_code), "finding")
        if support.when is not None:
            problems += _check_when((*loc, "when"), support.when, kb)
    return problems


def _stale_references(
    loc: Location, test: TestDef, findings: set[str]
) -> list[tuple[Location, str]]:
    """A first-present rule names known findings and a result of its own test."""
    problems: list[tuple[Location, str]] = []
    for j, rule in enumerate(test.stale_first_present):
        here = (*loc, "stale_first_present", j)
        problems += _unknown(here, rule.findings, findings, "finding")
        problems += _unknown(here, (rule.result,), set(test.reveals), "result of this test")
    return problems


def _unknown(
    loc: Location, codes: Iterable[str], known: set[str], kind: str
) -> list[tuple[Location, str]]:
    return [(loc, f"unknown {kind} {code!r}") for code in codes if code not in known]


def _thresholds(kb: KnowledgeBase) -> list[tuple[Location, str]]:
    """Every condition's own band (and another cause's) must leave room for "possible"."""
    reasoning = kb.reasoning
    owners: list[tuple[Location, float | None, float | None]] = [
        (("conditions", i), c.unlikely_below, c.likely_at) for i, c in enumerate(kb.conditions)
    ]
    owners.append((("other_causes",), kb.other_causes.unlikely_below, kb.other_causes.likely_at))
    problems: list[tuple[Location, str]] = []
    for loc, low, high in [(("reasoning",), None, None), *owners]:
        if (low or reasoning.unlikely_below) >= (high or reasoning.likely_at):
            problems.append((loc, "unlikely_below must be lower than likely_at"))
    if kb.other_causes.code in kb.condition_by_code:
        problems.append((("other_causes", "code"), "another cause needs a code of its own"))
    return problems


def _duplicates(section: str, codes: list[str]) -> list[tuple[Location, str]]:
    seen: set[str] = set()
    problems: list[tuple[Location, str]] = []
    for i, code in enumerate(codes):
        if code in seen:
            problems.append(((section, i), f"duplicate identifier {code!r}"))
        seen.add(code)
    return problems


def _check_when(loc: Location, when: When, kb: KnowledgeBase) -> list[tuple[Location, str]]:
    problems = _unknown(loc, sorted(when.condition_codes()), set(kb.condition_by_code), "condition")
    problems += _unknown(loc, sorted(when.finding_codes()), set(kb.finding_by_code), "finding")
    problems += _unknown(loc, sorted(when.test_codes()), set(kb.test_by_code), "test")
    if when.flagged and when.flagged not in {flag.code for flag in kb.red_flags}:
        problems.append(((*loc, "flagged"), f"unknown red flag {when.flagged!r}"))
    return problems
