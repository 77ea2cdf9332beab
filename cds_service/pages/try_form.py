"""The /try form: every finding of the knowledge base as present / absent / unknown.

The form is built from the knowledge base (never listed twice) and read back into the
:class:`Presentation` the reasoner takes, exactly as a hook's FHIR data would be.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Protocol

from cds_service.errors import ServiceError
from differential.model import Presentation, Sex
from differential.schema import KnowledgeBase

__all__ = [
    "FINDING_STATES",
    "SEX_CHOICES",
    "FindingField",
    "FindingGroup",
    "FormData",
    "InvalidFormError",
    "TryForm",
    "form_for",
    "read_form",
]

# Radio values, in the order they are shown; "unknown" leaves the finding out.
FINDING_STATES: Final = ("present", "absent", "unknown")
_RECORDED: Mapping[str, bool] = {"present": True, "absent": False}

# Knowledge-base group -> the heading of its fieldset, in the order the form shows them.
_GROUP_TITLES: Mapping[str, str] = {
    "history": "History",
    "examination": "Examination",
    "imaging": "Imaging",
    "red-flag": "Red flags",
    "risk-factor": "Risk factors",
}

# Select value -> the words shown; "" means the Patient resource records no sex.
SEX_CHOICES: Mapping[str, str] = {
    "": "not recorded",
    "female": "female",
    "male": "male",
    "other": "other",
    "unknown": "unknown",
}
_SEXES: Mapping[str, Sex] = {
    "female": "female",
    "male": "male",
    "other": "other",
    "unknown": "unknown",
}


class InvalidFormError(ServiceError):
    """A submitted value is not one the form offers; ``field`` names the input."""

    status = 400

    def __init__(self, field: str) -> None:
        super().__init__(f"{field}: not a value this form offers")
        self.field = field


class FormData(Protocol):
    """What the form reads from a submission (werkzeug's MultiDict fits)."""

    def get(self, key: str, default: str) -> str: ...

    def getlist(self, key: str) -> list[str]: ...


@dataclass(frozen=True)
class FindingField:
    """One finding's radio group and the state it shows."""

    code: str
    label: str
    state: str  # one of FINDING_STATES


@dataclass(frozen=True)
class FindingGroup:
    """One fieldset of findings."""

    key: str
    title: str
    fields: tuple[FindingField, ...]


@dataclass(frozen=True)
class TryForm:
    """Everything the form shows, filled from a presentation."""

    groups: tuple[FindingGroup, ...]
    sex: str  # a key of SEX_CHOICES
    conditions: tuple[tuple[str, str, bool], ...]  # code, name, already diagnosed


def _askable(kb: KnowledgeBase) -> Sequence[tuple[str, str, str]]:
    # Findings derived from the Patient resource (sex) are asked as demographics instead.
    return [(f.code, f.label, f.group) for f in kb.findings if not f.derived_from_patient]


def form_for(kb: KnowledgeBase, presentation: Presentation | None = None) -> TryForm:
    """The form showing ``presentation`` (empty: everything unknown)."""
    shown = presentation or Presentation()
    groups = tuple(
        FindingGroup(
            key,
            title,
            tuple(
                FindingField(code, label, _state(shown.findings.get(code)))
                for code, label, group in _askable(kb)
                if group == key
            ),
        )
        for key, title in _GROUP_TITLES.items()
    )
    conditions = tuple((c.code, c.name, c.code in shown.diagnoses) for c in kb.conditions)
    return TryForm(tuple(g for g in groups if g.fields), shown.sex or "", conditions)


def _state(recorded: bool | None) -> str:
    return {True: "present", False: "absent", None: "unknown"}[recorded]


def read_form(kb: KnowledgeBase, form: FormData) -> Presentation:
    """The presentation a submitted form describes; fields the form lacks are ignored.

    Raises :class:`InvalidFormError` naming the first input whose value is not offered.
    """
    findings: dict[str, bool] = {}
    for code, _label, _group in _askable(kb):
        value = form.get(code, "unknown")
        if value not in FINDING_STATES:
            raise InvalidFormError(code)
        if value in _RECORDED:
            findings[code] = _RECORDED[value]
    diagnoses = frozenset(form.getlist("diagnosis"))
    if not diagnoses <= kb.condition_by_code.keys():
        raise InvalidFormError("diagnosis")
    sex = form.get("sex", "")
    if sex not in SEX_CHOICES:
        raise InvalidFormError("sex")
    return Presentation(findings=findings, diagnoses=diagnoses, sex=_SEXES.get(sex))
