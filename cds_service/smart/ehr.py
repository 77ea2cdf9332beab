"""The EHR's FHIR server, with the clinician's token: read the record, write the answers."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import requests

from cds_service.fhir.client import (
    FhirBudgetSpentError,
    FhirClient,
    FhirLimits,
    FhirReadError,
    FhirServerPolicy,
    FhirUnreadableError,
)
from cds_service.fhir.guard import GuardedAdapter, guarding
from cds_service.hooks.note_attachments import read_note_attachments
from cds_service.hooks.prefetch import PatientData
from cds_service.hooks.prefetch_templates import OPTIONAL_PREFETCH_KEYS, PREFETCH_TEMPLATES

__all__ = ["Ehr", "WriteRefusedError"]

_FHIR_JSON = "application/fhir+json"
_OPTIONAL_NAMES = {"questionnaireResponses": "Questionnaire answers", "notes": "Clinical notes"}
_WRITE_TIMEOUT = (3.0, 15.0)


class WriteRefusedError(Exception):
    """The FHIR server did not create the resource; the message says why, without data."""


@dataclass
class Ehr:
    """One FHIR server and one user's access token."""

    base_url: str
    access_token: str = field(repr=False)
    limits: FhirLimits = field(default_factory=FhirLimits)
    session_factory: Callable[[], requests.Session] = requests.Session
    policy: FhirServerPolicy = field(default_factory=FhirServerPolicy)

    def patient_data(self, patient_id: str) -> PatientData:
        """The patient, observations, conditions, earlier answers and notes, as a hook reads
        them.

        Raises :class:`FhirReadError` when a needed search fails; earlier answers and notes
        are optional (a server without the search has none; one that failed is said).
        """
        found, shortfalls = self._searched(patient_id)
        notes = tuple(found.get("notes") or ())
        # A note's text held at a `url` on this server is read with this token, as the hooks
        # read it (contract 3a); never from another host.
        attachments, unread_texts = read_note_attachments(
            notes,
            patient_id=patient_id,
            fhir_server=self.base_url,
            access_token=self.access_token,
            may_fetch=True,
            limits=self.limits,
            policy=self.policy,
            session_factory=self.session_factory,
        )
        patient = found["patient"]
        return PatientData(
            patient=patient if patient.get("resourceType") == "Patient" else None,
            observations=tuple(found["observations"]),
            conditions=tuple(found["conditions"]),
            shortfalls=(*shortfalls, *unread_texts),
            questionnaire_responses=tuple(found["questionnaireResponses"]),
            # Clinical notes pre-fill the questions, marked for the clinician to confirm.
            notes=notes,
            note_attachments=attachments,
            patient_id=patient_id,
            fhir_server=self.base_url,
        )

    def _searched(self, patient_id: str) -> tuple[dict[str, Any], tuple[str, ...]]:
        """Every prefetch query of the contract against this server; what could not be read."""
        found: dict[str, Any] = {}
        unread: list[str] = []
        with self.session_factory() as session:
            client = FhirClient(
                self.base_url, self.access_token, self.limits, session, policy=self.policy
            )
            try:
                for key, template in PREFETCH_TEMPLATES.items():
                    query = template.replace("{{context.patientId}}", quote(patient_id, safe=""))
                    found[key] = _search(client, key, query, unread)
            finally:
                client.close()  # stop watching the read deadline
            return found, (*client.shortfalls, *unread)

    def create(self, resource: dict[str, Any]) -> str:
        """POST ``resource``; the id the server gave it. :class:`WriteRefusedError` if not."""
        url = f"{self.base_url.rstrip('/')}/{resource['resourceType']}"
        headers = {
            "Authorization": f"Bearer {self.access_token}",
            "Content-Type": _FHIR_JSON,
            "Accept": _FHIR_JSON,
            "Prefer": "return=representation",
        }
        # The same guards as the reads: addresses checked after resolution, a deadline.
        guard = self.policy.guard()
        guard.deadline = time.monotonic() + _WRITE_TIMEOUT[1]
        try:
            with self.session_factory() as session, guarding(guard):
                adapter = GuardedAdapter()
                session.mount("https://", adapter)
                session.mount("http://", adapter)
                response = session.post(
                    url,
                    json=resource,
                    headers=headers,
                    timeout=_WRITE_TIMEOUT,
                    allow_redirects=False,
                )
        except requests.RequestException as exc:
            raise WriteRefusedError(
                f"the server could not be reached ({type(exc).__name__})"
            ) from None
        finally:
            guard.close()
        if response.status_code not in {200, 201}:
            raise WriteRefusedError(f"the server answered HTTP {response.status_code}")
        return _created_id(response)


def _search(client: FhirClient, key: str, query: str, unread: list[str]) -> Any:
    """One prefetch query; an optional one that fails is empty, said in ``unread`` unless
    the server simply lacks the search."""
    try:
        return client.search(query) if "?" in query else client.read(query)
    except (FhirBudgetSpentError, FhirUnreadableError):
        if key not in OPTIONAL_PREFETCH_KEYS:
            raise
        # Asked for and not had: the app says so, as the hooks' cards do.
        unread.append(f"{_OPTIONAL_NAMES[key]} could not be read")
        return []
    except FhirReadError:
        if key not in OPTIONAL_PREFETCH_KEYS:
            raise
        return []  # e.g. a server without the search: no data


def _created_id(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("id"), str):
        return str(body["id"])
    # Location: <base>/<type>/<id>/_history/<version>
    parts = response.headers.get("Location", "").split("/_history")[0].rstrip("/").split("/")
    if len(parts) > 1 and parts[-1]:
        return parts[-1]
    raise WriteRefusedError("the server did not say which id it gave the answers")
