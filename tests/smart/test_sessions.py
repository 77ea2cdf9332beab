"""A bedside app session: what it holds, and never shows its secrets."""

from __future__ import annotations

from cds_service.smart.sessions import SmartSession


def test_the_token_is_not_in_the_sessions_repr() -> None:
    session = SmartSession(token={"access_token": "secret-token"}, code_verifier="verifier")
    assert "secret-token" not in repr(session)
    assert "verifier" not in repr(session)
