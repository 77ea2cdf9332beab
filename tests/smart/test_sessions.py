"""Sessions are kept on the server and forgotten after their time to live."""

from __future__ import annotations

from cds_service.smart.sessions import SmartSessions


def test_a_session_is_found_by_its_id_until_it_expires() -> None:
    now = [0.0]
    sessions = SmartSessions(ttl_s=60, clock=lambda: now[0])
    session_id, session = sessions.start()
    assert sessions.get(session_id) is session
    now[0] = 59.0
    assert sessions.get(session_id) is session  # use keeps it alive
    now[0] = 200.0
    assert sessions.get(session_id) is None


def test_unknown_or_missing_ids_find_nothing() -> None:
    sessions = SmartSessions()
    assert sessions.get(None) is None
    assert sessions.get("forged") is None


def test_the_token_is_not_in_the_sessions_repr() -> None:
    _, session = SmartSessions().start()
    session.token = {"access_token": "secret-token"}
    session.code_verifier = "verifier"
    assert "secret-token" not in repr(session)
    assert "verifier" not in repr(session)
