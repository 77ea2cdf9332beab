"""What differs between the EHRs the service answers (issue 26): the EHR profile.

Set by the operator (README, "Connecting an EHR") and applied to each hook answer after
the cards are rendered, so the clinical packages stay EHR-neutral:

- ``selectionBehavior`` of cards with suggestions: ``at-most-one`` (CDS Hooks' usual) or
  ``any`` (Epic documents that it accepts only ``any``);
- the EHR's own orderable codes, added first to the ``code`` of each ServiceRequest a
  suggestion creates, from a small JSON or YAML file: EHRs that create orders from their own
  preference lists (Epic, Cerner) do not order by LOINC or CPT alone;
- the copy of ``systemActions`` under the response's ``extension``, which the public CDS Hooks
  sandbox (older than CDS Hooks 2.0) reads; an EHR that reads ``systemActions`` needs none.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cards.catalogue import TEST_SYSTEM, TESTS

__all__ = ["EhrProfile", "OrderCodeError", "load_order_codes"]

Coding = dict[str, str]
_CODING_KEYS = frozenset({"system", "code", "display"})


class OrderCodeError(ValueError):
    """The order-code file cannot be used; the message is one line."""


@dataclass(frozen=True)
class EhrProfile:
    """How hook answers are shaped for the EHR at hand."""

    selection_behavior: str = "at-most-one"
    # our test code -> the EHR's orderable codings, added before ours
    order_codes: Mapping[str, tuple[Coding, ...]] = field(default_factory=dict)
    system_actions_extension: bool = True

    def apply(self, response: dict[str, Any]) -> dict[str, Any]:
        """``response`` shaped for this EHR; the default profile returns it unchanged."""
        if self == EhrProfile():
            return response
        shaped = copy.deepcopy(response)
        for card in shaped.get("cards", ()):
            if "selectionBehavior" in card:
                card["selectionBehavior"] = self.selection_behavior
            for suggestion in card.get("suggestions", ()):
                for action in suggestion.get("actions", ()):
                    self._add_order_codes(action.get("resource"))
        if not self.system_actions_extension:
            extension = shaped.get("extension")
            if isinstance(extension, dict):
                extension.pop("systemActions", None)
                if not extension:
                    del shaped["extension"]
        return shaped

    def _add_order_codes(self, resource: object) -> None:
        if not isinstance(resource, dict) or resource.get("resourceType") != "ServiceRequest":
            return
        codings = resource.get("code", {}).get("coding", [])
        ours = next((c["code"] for c in codings if c.get("system") == TEST_SYSTEM), None)
        theirs = self.order_codes.get(ours or "")
        if theirs:
            resource["code"]["coding"] = [*(dict(c) for c in theirs), *codings]


def load_order_codes(path: Path) -> dict[str, tuple[Coding, ...]]:
    """Read the operator's order-code file: test code -> coding or list of codings.

    Raises :class:`OrderCodeError` with a one-line reason naming the file.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise OrderCodeError(f"{path} cannot be read ({exc.strerror or 'error'})") from None
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise OrderCodeError(f"{path} is not valid {_format(path)} ({_first_line(exc)})") from None
    if not isinstance(data, dict) or not data:
        raise OrderCodeError(f"{path} must map test codes to codings, e.g. {_EXAMPLE}")
    return {str(test): _codings(path, str(test), entry) for test, entry in data.items()}


_EXAMPLE = '{"mri-hip-pelvis": {"system": "urn:oid:1.2.3", "code": "IMG123"}}'


def _codings(path: Path, test: str, entry: object) -> tuple[Coding, ...]:
    orderable = sorted(code for code, item in TESTS.items() if item.orderable)
    if test not in orderable:
        raise OrderCodeError(
            f"{path}: {test!r} is not a test the cards order; allowed: {', '.join(orderable)}"
        )
    entries = entry if isinstance(entry, list) else [entry]
    if not entries:
        raise OrderCodeError(f"{path}: {test} has no coding")
    return tuple(_coding(path, test, item) for item in entries)


def _coding(path: Path, test: str, item: object) -> Coding:
    if not isinstance(item, dict) or not set(item) <= _CODING_KEYS:
        raise OrderCodeError(
            f"{path}: {test} must be a coding with system, code and an optional display"
        )
    system, code = item.get("system"), item.get("code")
    if not isinstance(system, str) or ":" not in system:
        raise OrderCodeError(f"{path}: {test} needs a system that is a URI (e.g. urn:oid:...)")
    if not isinstance(code, str | int) or not str(code).strip():
        raise OrderCodeError(f"{path}: {test} needs a code")
    coding = {"system": system, "code": str(code).strip()}
    if isinstance(item.get("display"), str):
        coding["display"] = item["display"]
    return coding


def _format(path: Path) -> str:
    return "JSON" if path.suffix == ".json" else "YAML"


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
