"""The contract's test table (section 5) as data: names, and the codes of orderable imaging.

Names, kinds and codes come from codes.json (through :mod:`terminology`);
only what a card says beyond them (a shorter name, why a test will not help) is kept here.

Only the primary LOINC and CPT code of each imaging study is held here: enough to write a
draft order. Recognising incoming orders by all their codes is the order hooks' job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast

from terminology import TestCode, code_tables, system_url

__all__ = ["TESTS", "CatalogueEntry", "catalogue_entry", "ordered_name"]

LOINC = system_url("loinc")
CPT = system_url("cpt")
TEST_SYSTEM = system_url("test")

Kind = Literal["exam", "imaging", "lab"]


@dataclass(frozen=True)
class CatalogueEntry:
    """One test of the contract, and what we say when it will not help."""

    code: str
    name: str
    kind: Kind
    loinc: str | None = None
    cpt: str | None = None
    why_not: str | None = None  # one line for a busy clinician, when it will not help

    @property
    def orderable(self) -> bool:
        """Whether a draft ServiceRequest can be written for it (imaging with codes)."""
        return self.kind == "imaging" and self.loinc is not None and self.cpt is not None


_XRAY_WHY_NOT = (
    "it does not separate these conditions, and a normal film does not exclude a stress fracture"
)

# What a card calls a test where it says less than the code's display.
_CARD_NAMES = {"labs-infection": "blood count, CRP and ESR"}
_WHY_NOT = {
    "xray-hip-pelvis": _XRAY_WHY_NOT,
    "ct-lumbar-spine": "it would not separate these conditions, and it adds radiation",
    "ct-hip-pelvis": "it misses early bone stress and the soft-tissue conditions; adds radiation",
}


def _card_name(code: str, display: str, kind: str) -> str:
    # Mid-sentence on a card: an exam or lab reads in lower case, a study keeps its name.
    if code in _CARD_NAMES:
        return _CARD_NAMES[code]
    return display if kind == "imaging" else display[:1].lower() + display[1:]


def _entry(test: TestCode) -> CatalogueEntry:
    # A draft order is written with the first LOINC and CPT code (a CPT range's first).
    return CatalogueEntry(
        test.code,
        _card_name(test.code, test.display, test.kind),
        cast(Kind, test.kind),
        next(iter(test.loinc), None),
        next(iter(test.cpt), None),
        why_not=_WHY_NOT.get(test.code),
    )


TESTS: dict[str, CatalogueEntry] = {test.code: _entry(test) for test in code_tables().tests}


def catalogue_entry(code: str) -> CatalogueEntry | None:
    """The catalogue entry of a test code, or None for a code the contract does not list."""
    return TESTS.get(code)


_WITHOUT_CONTRAST = " without contrast"


def ordered_name(code: str, contrast: str | None = None) -> str:
    """What a card calls a drafted study: its name, with the order's own ``contrast``
    ("with contrast") in place of the contract's "without contrast" when it has one."""
    entry = TESTS.get(code)
    name = entry.name if entry is not None else code
    return f"{name.removesuffix(_WITHOUT_CONTRAST)} {contrast}" if contrast else name
