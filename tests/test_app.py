"""The app factory: a knowledge base that does not load leaves the service up, not ready."""

from __future__ import annotations

from pathlib import Path

from cds_service.app import create_app
from cds_service.settings import Settings


def test_without_knowledge_base_readyz_is_503_and_hooks_503(
    settings: Settings, tmp_path: Path
) -> None:
    broken = Settings(
        database_url=settings.database_url, knowledge_base_path=tmp_path / "missing.yaml"
    )
    client = create_app(broken).test_client()

    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 503
    assert client.post("/cds-services/gluteal-pain-differential", json={}).status_code == 503
