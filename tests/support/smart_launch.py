"""The bedside app's launch, as the tests play it: one EHR, its endpoints, sign-in steps.

The EHR itself (a ``responses`` mock) and an app configured for it are the fixtures of
``tests/smart/conftest.py``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import responses
from flask.testing import FlaskClient

from cds_service.settings import Settings

__all__ = [
    "AUTHORIZE",
    "HTTPS",
    "ISS",
    "SECRET",
    "TOKEN",
    "configured",
    "csrf",
    "launch",
    "register_ehr",
    "session_cookie",
    "sign_in",
    "signed_in",
]

ISS = "https://ehr.example.org/fhir"
AUTHORIZE = "https://ehr.example.org/oauth/authorize"
TOKEN = "https://ehr.example.org/oauth/token"
HTTPS = "https://cds.example.org"


def launch(client: FlaskClient) -> dict[str, list[str]]:
    """Launch from the EHR; the query the app sends the EHR's authorize endpoint."""
    response = client.get(
        "/smart/launch", query_string={"iss": ISS, "launch": "l-1"}, base_url=HTTPS
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(AUTHORIZE)
    return parse_qs(urlsplit(location).query)


def signed_in(client: FlaskClient) -> None:
    """Launch and come back from the EHR's sign-in with a code."""
    asked = launch(client)
    response = client.get(
        "/smart/callback",
        query_string={"code": "c-1", "state": asked["state"][0]},
        base_url=HTTPS,
    )
    assert response.status_code == 303


def csrf(client: FlaskClient) -> str:
    """The CSRF token of the questions page."""
    text = client.get("/smart/app", base_url=HTTPS).get_data(as_text=True)
    found = re.search(r'name="csrf" value="([^"]+)"', text)
    assert found
    return found.group(1)


SECRET = "s3cret-of-the-app"


def configured(settings: Settings, **changes: Any) -> Settings:
    """``settings`` with the bedside app on, a confidential client of :data:`ISS`."""
    return replace(
        settings,
        smart_client_id="bedside",
        smart_client_secret=SECRET,
        public_base_url=HTTPS,
        smart_issuers=(ISS,),
        **changes,
    )


def register_ehr(mock: responses.RequestsMock, token: dict[str, Any] | None = None) -> None:
    """The EHR in ``mock``: discovery, the token (``token``), a patient, empty searches."""
    mock.get(
        f"{ISS}/.well-known/smart-configuration",
        json={"authorization_endpoint": AUTHORIZE, "token_endpoint": TOKEN},
    )
    mock.post(TOKEN, json=token or {"access_token": "at-1", "patient": "p-1"})
    mock.get(
        f"{ISS}/Patient/p-1",
        json={
            "resourceType": "Patient",
            "id": "p-1",
            "name": [{"given": ["Alex"], "family": "Runner"}],
            "birthDate": "1990-04-02",
            "gender": "female",
        },
    )
    bundle = {"resourceType": "Bundle", "type": "searchset", "entry": []}
    for kind in ("Observation", "Condition", "QuestionnaireResponse"):
        mock.get(re.compile(rf"{re.escape(ISS)}/{kind}\?.*"), json=bundle)


def session_cookie(client: FlaskClient) -> str | None:
    """The value of the app's session cookie, if set."""
    cookie = client.get_cookie("gluteal_smart", domain="cds.example.org", path="/smart")
    return cookie.value if cookie else None


def sign_in(client: FlaskClient) -> tuple[str | None, str | None]:
    """Launch and sign in; the session cookie before and after the sign-in."""
    launched = client.get("/smart/launch", query_string={"iss": ISS, "launch": "l"}, base_url=HTTPS)
    assert launched.status_code == 302, launched.get_data(as_text=True)
    before = session_cookie(client)
    state = parse_qs(urlsplit(launched.headers["Location"]).query)["state"][0]
    called = client.get(
        "/smart/callback", query_string={"code": "c", "state": state}, base_url=HTTPS
    )
    assert called.status_code == 303, called.get_data(as_text=True)
    return before, session_cookie(client)
