"""Property (issue 15): odd Host, Authorization and Content-Type headers never give a 5xx.

Every route a caller reaches (hooks, feedback, pages, probes) answers 2xx or a JSON 4xx,
whatever printable text the headers carry; no answer repeats the header's text.
"""

from __future__ import annotations

from typing import Literal

import pytest
from flask.testing import FlaskClient
from hypothesis import event, given, settings
from hypothesis import strategies as st

from tests.hardening.test_fuzz_hooks import FUZZ
from tests.support.hook_requests import hook_request

ROUTES = [
    ("POST", "/cds-services/gluteal-pain-differential"),
    ("POST", "/cds-services/gluteal-pain-differential/feedback"),
    ("GET", "/"),
    ("GET", "/try"),
    ("GET", "/healthz"),
    ("GET", "/cds-services"),
]
# Latin-1 without controls: what an HTTP header value can carry.
CONTROLS: tuple[Literal["Cc"]] = ("Cc",)
HEADER_TEXT = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0xFF, blacklist_categories=CONTROLS),
    min_size=1,
    max_size=80,
)
ODD_HOSTS = st.one_of(
    HEADER_TEXT,
    st.sampled_from(["a b", "()", "[::1", "x:99999999", "..", "-", "a" * 300, "[::1]:x"]),
)


@pytest.mark.parametrize("route", ROUTES)
@settings(FUZZ, max_examples=60)
@given(host=ODD_HOSTS, authorization=HEADER_TEXT, content_type=HEADER_TEXT)
def test_odd_headers_never_give_a_5xx_nor_come_back(
    shared_client: FlaskClient,
    route: tuple[str, str],
    host: str,
    authorization: str,
    content_type: str,
) -> None:
    method, path = route
    headers = {"Host": host, "Authorization": authorization, "Content-Type": content_type}
    body = {"feedback": []} if path.endswith("/feedback") else hook_request()
    response = shared_client.open(path, method=method, json=body, headers=headers)

    event(f"HTTP {response.status_code}")
    assert response.status_code < 500
    if response.status_code >= 400:
        assert response.is_json
        assert set(response.get_json()) == {"error"}
        if len(host) > 3:
            assert host not in response.get_data(as_text=True)
