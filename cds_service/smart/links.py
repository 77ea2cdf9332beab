"""Where the bedside app is launched from the differential card."""

from __future__ import annotations

from cds_service.settings import Settings

__all__ = ["LAUNCH_PATH", "smart_launch_url"]

LAUNCH_PATH = "/smart/launch"


def smart_launch_url(settings: Settings, base_url: str) -> str | None:
    """``<base>/smart/launch`` when the SMART app is configured, else None (no link)."""
    if not settings.smart_client_id:
        return None
    return f"{base_url.rstrip('/')}{LAUNCH_PATH}"
