"""The bedside app's launch, as the tests play it: one EHR, its endpoints, sign-in steps.

The EHR itself (a ``responses`` mock) and an app configured for it are the fixtures of
``tests/smart/conftest.py``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from flask.testing import FlaskClient

__all__ = ["AUTHORIZE", "HTTPS", "ISS", "TOKEN", "csrf", "launch", "signed_in"]

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
