"""What a clinician's browser sends: it prefers HTML, so the pages answer errors as pages."""

from __future__ import annotations

__all__ = ["BROWSER"]

# Firefox's and Chrome's Accept header on navigation (the pages' errors are HTML for it only).
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
