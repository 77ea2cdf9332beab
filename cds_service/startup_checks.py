"""Settings that are valid one by one but unsafe together, refused at start-up (issue 15).

A production start (caller authentication on, or a PostgreSQL store) needs a real patient
hash salt, and authentication needs ``GLUTEAL_CDS_PUBLIC_BASE_URL``: the JWT ``aud`` is
checked against it, never against the Host header a caller chose.
"""

from __future__ import annotations

from sqlalchemy.engine import make_url

from cds_service.settings import ConfigurationError, Settings

__all__ = ["PLACEHOLDER_SALTS", "check_startup", "smart_app_problems"]

# The values the shipped examples carry, to be replaced before use.
PLACEHOLDER_SALTS = frozenset({"change-me-to-a-long-random-string", "change-me", "changeme"})


def check_startup(settings: Settings) -> None:
    """Raise :class:`ConfigurationError` naming every variable that makes the start unsafe."""
    problems = []
    if settings.auth_enabled and not settings.public_base_url:
        problems.append(
            "GLUTEAL_CDS_PUBLIC_BASE_URL: required with GLUTEAL_CDS_TRUSTED_ISSUERS (the JWT "
            "aud is checked against it); allowed: an https URL such as https://cds.example.org"
        )
    if _production(settings) and _weak_salt(settings.patient_hash_salt):
        problems.append(
            "GLUTEAL_CDS_PATIENT_HASH_SALT: empty or the example's placeholder, with "
            "authentication or PostgreSQL on; allowed: a long random secret "
            "(openssl rand -hex 32)"
        )
    problems.extend(smart_app_problems(settings))
    if problems:
        raise ConfigurationError("\n".join(problems))


def smart_app_problems(settings: Settings) -> list[str]:
    """The bedside app builds its ``redirect_uri`` from the public base URL, never the Host."""
    if settings.smart_client_id and not settings.public_base_url:
        return [
            "GLUTEAL_CDS_PUBLIC_BASE_URL: required with GLUTEAL_CDS_SMART_CLIENT_ID (the "
            "app's redirect_uri is built from it, never from the Host header); allowed: an "
            "https URL such as https://cds.example.org"
        ]
    return []


def _production(settings: Settings) -> bool:
    return settings.auth_enabled or _backend(settings.database_url) == "postgresql"


def _backend(database_url: str) -> str:
    if "://" not in database_url:
        return "sqlite"
    return make_url(database_url).get_backend_name()


def _weak_salt(salt: str) -> bool:
    return not salt.strip() or salt.strip().lower() in PLACEHOLDER_SALTS
