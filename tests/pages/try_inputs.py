"""What the /try tests enter: the findings asked, a classic sciatica, a hostile value."""

from __future__ import annotations

from differential import load_knowledge_base

__all__ = ["ASKED", "CLASSIC_SCIATICA", "HOSTILE", "KB"]

KB = load_knowledge_base()
# The findings the form asks about (those derived from the patient resource are not).
ASKED = [f.code for f in KB.findings if not f.derived_from_patient]
HOSTILE = "<script>alert(1)</script>"
CLASSIC_SCIATICA = {
    "buttock-pain": "present",
    "pain-radiates-below-knee": "present",
    "leg-numbness": "present",
    "pain-worse-hamstring-stretch": "present",
}
