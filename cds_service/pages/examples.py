"""Worked examples for the /try page: the clinical vignettes, read as an EHR would send them.

Each vignette's request goes through :func:`fhir_mappings.map_patient_record` (its prefetch,
or its ``fhirServerData``) at the vignette's ``evaluatedAt``, so an example fills the form
with exactly the findings the hook would have seen. Files that cannot be read, or that give
no finding, are left out of the menu.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

from cds_service.hooks.pipeline import presentation_of
from differential.model import Presentation
from fhir_mappings import MappingError, map_patient_record

__all__ = ["Example", "ExampleCatalogue"]

_log = logging.getLogger(__name__)

# fhirServerData keys, in the order map_patient_record takes them.
_SERVER_KEYS = ("Patient", "Observation", "Condition")
_PREFETCH_KEYS = ("patient", "observations", "conditions")


@dataclass(frozen=True)
class Example:
    """One vignette as the form shows it."""

    name: str  # the file's stem, e.g. "03-gluteus-medius"
    description: str
    presentation: Presentation


class ExampleCatalogue:
    """The examples of one folder, read on first use and then kept."""

    def __init__(self, folder: Path | None, max_age: timedelta) -> None:
        self.folder = folder
        self.max_age = max_age

    @cached_property
    def by_name(self) -> Mapping[str, Example]:
        """Examples keyed by name, in file-name order."""
        if self.folder is None:
            return {}
        examples = (self._read(path) for path in sorted(self.folder.glob("*.json")))
        return {example.name: example for example in examples if example is not None}

    def _read(self, path: Path) -> Example | None:
        try:
            vignette = json.loads(path.read_text(encoding="utf-8"))
            example = _example(path.stem, vignette, self.max_age)
        except (OSError, ValueError, KeyError, TypeError, AttributeError, MappingError) as exc:
            _log.warning("vignette %s left out of the examples: %s", path.name, type(exc).__name__)
            return None
        return example if example.presentation.findings else None


def _example(name: str, vignette: dict[str, Any], max_age: timedelta) -> Example:
    evaluated_at = datetime.fromisoformat(vignette["evaluatedAt"])
    record = map_patient_record(*_resources(vignette), evaluated_at=evaluated_at, max_age=max_age)
    return Example(name, str(vignette.get("description", "")), presentation_of(record))


def _resources(vignette: dict[str, Any]) -> tuple[object, object, object]:
    prefetch = vignette["request"].get("prefetch")
    keys = _PREFETCH_KEYS if prefetch else _SERVER_KEYS
    source: dict[str, Any] = prefetch or vignette.get("fhirServerData") or {}
    patient, observations, conditions = (source.get(key) for key in keys)
    return patient, observations, conditions
