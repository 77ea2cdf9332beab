"""The app's pages: a secure session cookie, CSRF on every form, who may frame them."""

from __future__ import annotations

import responses
from flask.testing import FlaskClient

from cds_service.app import create_app
from cds_service.settings import Settings
from tests.support.smart_launch import (
    HTTPS,
    ISS,
    configured,
    register_ehr,
    signed_in,
)


def test_the_session_cookie_is_secure_and_holds_no_token(
    client: FlaskClient, ehr: responses.RequestsMock
) -> None:
    response = client.get(
        "/smart/launch", query_string={"iss": ISS, "launch": "l-1"}, base_url=HTTPS
    )
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_a_form_without_the_csrf_token_is_refused(
    client: FlaskClient, ehr: responses.RequestsMock
) -> None:
    signed_in(client)
    response = client.post(
        "/smart/app", data={"action": "save", "q-fever": "present"}, base_url=HTTPS
    )
    assert response.status_code == 403
    assert not [
        call for call in ehr.calls if call.request.method == "POST" and ISS in str(call.request.url)
    ]


def test_the_ehr_origins_listed_may_frame_the_app(settings: Settings) -> None:
    ancestors = ("'self'", "https://ehr.example.org")
    client = create_app(configured(settings, smart_frame_ancestors=ancestors)).test_client()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        register_ehr(mock)
        response = client.get(
            "/smart/launch", query_string={"iss": ISS, "launch": "l"}, base_url=HTTPS
        )
    assert (
        "frame-ancestors 'self' https://ehr.example.org"
        in response.headers["Content-Security-Policy"]
    )
    assert "X-Frame-Options" not in response.headers
    cookie = response.headers["Set-Cookie"]
    for attribute in ("SameSite=None", "Partitioned", "Secure", "HttpOnly"):
        assert attribute in cookie


def test_by_default_only_this_origin_frames_the_app(client: FlaskClient) -> None:
    response = client.get("/smart/app", base_url=HTTPS)
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
