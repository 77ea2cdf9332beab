"""One launch of the app, as kept on the server: the browser holds only a random id.

The access token never reaches the page or a cookie. Where sessions are kept (the service's
database, so any worker serves any step) is :mod:`cds_service.smart.session_store`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
from dataclasses import dataclass, field
from typing import Any

__all__ = ["COOKIE", "SmartSession"]

COOKIE = "gluteal_smart"


@dataclass
class SmartSession:
    """One launch: the pending authorisation, then the token and the launch context."""

    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    iss: str = ""
    state: str = ""
    code_verifier: str = field(default="", repr=False)
    token_endpoint: str = ""  # pinned at launch from the configured issuer's discovery
    hint: dict[str, Any] = field(default_factory=dict)  # appContext: an untrusted hint
    token: dict[str, Any] = field(default_factory=dict, repr=False)
    patient: str | None = None
    author: str | None = None  # fhirUser: Practitioner/<id> and the like
    encounter: str | None = None
    need_patient_banner: bool = False
    # The question order fixed at the first page: answering never moves a question.
    question_order: list[str] = field(default_factory=list)

    @property
    def authorised(self) -> bool:
        """The launch is complete: a token and a patient."""
        return bool(self.token.get("access_token")) and self.patient is not None

    @property
    def keep_key(self) -> str:
        """Names the answers the page keeps in the browser: this EHR's patient, not a secret."""
        digest = hashlib.sha256(f"{self.iss}|{self.patient}".encode()).hexdigest()
        return digest[:24]

    def to_data(self) -> dict[str, Any]:
        """The session as JSON-able data (for the sessions table)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> SmartSession:
        """The session :meth:`to_data` gave; unknown keys (an older row) are ignored."""
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in names})
