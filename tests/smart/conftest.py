"""The bedside app's tests share the end-to-end fixtures of the root conftest: the
sekmet-fhir server (``fhir_server``) and Chromium (``browser``); and, here, an app with
SMART configured (``client``) and the EHR it launches from, played by ``responses``
(``ehr``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest
import responses
from flask.testing import FlaskClient

from cds_service.app import create_app
from cds_service.settings import Settings
from differential import KnowledgeBase, load_knowledge_base
from tests.support.smart_launch import AUTHORIZE, HTTPS, ISS, TOKEN


@pytest.fixture
def client(settings: Settings) -> FlaskClient:
    """The service with the bedside app on, launched from :data:`ISS`."""
    configured = replace(
        settings, smart_client_id="bedside", public_base_url=HTTPS, smart_issuers=(ISS,)
    )
    return create_app(configured).test_client()


@pytest.fixture
def ehr() -> Iterator[responses.RequestsMock]:
    """The EHR: SMART configuration, token endpoint, a patient with one recent finding."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.get(
            f"{ISS}/.well-known/smart-configuration",
            json={
                "authorization_endpoint": AUTHORIZE,
                "token_endpoint": TOKEN,
                "capabilities": ["launch-ehr", "permission-v2"],
            },
        )
        mock.post(
            TOKEN,
            json={
                "access_token": "secret-token",
                "token_type": "Bearer",
                "expires_in": 3600,
                "scope": "launch patient/*.rs",
                "patient": "p-1",
            },
        )
        mock.get(f"{ISS}/Patient/p-1", json={"resourceType": "Patient", "id": "p-1"})
        observation = {
            "resourceType": "Observation",
            "id": "o-1",
            "status": "final",
            "code": {"coding": [{"system": "http://snomed.info/sct", "code": "279043006"}]},
            "subject": {"reference": "Patient/p-1"},
            "effectiveDateTime": datetime.now(UTC).isoformat(),
        }
        bundle = {"resourceType": "Bundle", "type": "searchset", "entry": []}
        mock.get(
            re.compile(rf"{re.escape(ISS)}/Observation\?.*"),
            json={**bundle, "entry": [{"resource": observation}]},
        )
        mock.get(re.compile(rf"{re.escape(ISS)}/Condition\?.*"), json=bundle)
        mock.get(re.compile(rf"{re.escape(ISS)}/QuestionnaireResponse\?.*"), status=400)
        yield mock


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    """The shipped knowledge base."""
    return load_knowledge_base()
