"""Scopes v2 with their v1 fallback."""

from __future__ import annotations

from cds_service.smart.scopes import DEFAULT_SCOPES, scopes_for


def test_v2_scopes_when_the_server_supports_them() -> None:
    assert scopes_for(None, {"capabilities": ["permission-v2"]}) == DEFAULT_SCOPES


def test_v1_scopes_otherwise() -> None:
    asked = scopes_for(None, {"capabilities": ["launch-ehr"]}).split()
    assert "patient/Observation.read" in asked
    assert "patient/QuestionnaireResponse.write" in asked
    assert "launch" in asked
    assert not any(scope.endswith((".rs", ".c")) for scope in asked)
    assert len(asked) == len(set(asked))


def test_configured_scopes_are_used() -> None:
    assert scopes_for("launch patient/*.rs", {"capabilities": ["permission-v2"]}) == (
        "launch patient/*.rs"
    )
