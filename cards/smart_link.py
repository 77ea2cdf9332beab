"""The bedside SMART app's launch link on the differential card (contract section 5).

The web layer says where the app is launched (:class:`SmartLink`); this module adds the
link to the differential card, with an ``appContext`` that names only the hook instance and
the finding codes worth asking: no patient data, and the app treats it as a hint.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from cards.model import Card, Link, LinkType
from differential.model import Differential

__all__ = ["NO_FINDINGS_SUMMARY", "SmartLink", "with_smart_link"]

LINK_LABEL = "Ask the questions that matter (bedside app)"
NO_FINDINGS_SUMMARY = (
    "Only the complaint is recorded: answer a few questions to separate the causes"
)
_NO_FINDINGS_NOTE = (
    "**No findings recorded yet** beyond the presenting complaint. Open the bedside app "
    "from this card: it asks the questions that would change the differential most, red "
    "flags always, and writes the answers back to the record."
)


@dataclass(frozen=True)
class SmartLink:
    """Where the bedside app is launched, and the hook call the card answers."""

    launch_url: str  # <base>/smart/launch
    hook_instance: str | None = None
    # Nothing beyond the presenting complaint is recorded: the card says answers are needed.
    complaint_only: bool = False
    # Mark the link autolaunchable (CDS Hooks 3.0) when only the complaint is recorded: the
    # app is then the only sensible next step. Off unless the operator turns it on.
    autolaunchable: bool = False


def app_context(differential: Differential, link: SmartLink) -> str:
    """The small, patient-free hint the app receives: the hook instance and what to ask."""
    hint: dict[str, object] = {"ask": list(differential.most_informative_unknowns)}
    if link.hook_instance:
        hint["hookInstance"] = link.hook_instance
    return json.dumps(hint, separators=(",", ":"))


def with_smart_link(card: Card, differential: Differential, link: SmartLink) -> Card:
    """``card`` (the differential card) with the app's launch link; when nothing beyond the
    complaint is recorded, its summary and detail say that answers are needed first."""
    smart = Link(
        label=LINK_LABEL,
        url=link.launch_url,
        type=LinkType.SMART,
        app_context=app_context(differential, link),
        autolaunchable=True if link.complaint_only and link.autolaunchable else None,
    )
    update: dict[str, object] = {"links": (*card.links, smart)}
    if link.complaint_only:
        update["summary"] = NO_FINDINGS_SUMMARY
        update["detail"] = "\n\n".join(p for p in (_NO_FINDINGS_NOTE, card.detail) if p)
    return card.model_copy(update=update)
