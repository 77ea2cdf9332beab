"""Settings that are valid one by one but unusable together, refused before workers fork.

``gluteal-cds serve`` and the gunicorn master (:mod:`cds_service.gunicorn_conf`) run
:func:`check_startup` once, before any worker starts: each problem is one line naming its
variable, and the process exits 2 (issue 26), instead of every worker crashing with a
traceback. The app factory runs it again for apps built without gunicorn.

- A production start (caller authentication on, or a PostgreSQL store) needs a real patient
  hash salt.
- Authentication needs ``GLUTEAL_CDS_PUBLIC_BASE_URL``: the JWT ``aud`` is checked against
  it, never against the Host header a caller chose.
- The bedside app needs ``GLUTEAL_CDS_PUBLIC_BASE_URL``: its ``redirect_uri`` is built from
  it, never from the Host header (issue 24).
- A SQLite store needs a directory the service can write to (the file and its WAL journal).
- The EHR profile's order-code file must be readable and well-formed.

:func:`startup_warnings` are the settings that work but deserve a word, logged once by the
gunicorn master; the development default (an empty salt with the default SQLite file) has none.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy.engine import make_url

from cds_service.hooks.ehr_profile import OrderCodeError, load_order_codes
from cds_service.settings import ConfigurationError, Settings, default_database_url

__all__ = [
    "PLACEHOLDER_SALTS",
    "check_startup",
    "smart_app_problems",
    "startup_problems",
    "startup_warnings",
]

# The values the shipped examples carry, to be replaced before use.
PLACEHOLDER_SALTS = frozenset({"change-me-to-a-long-random-string", "change-me", "changeme"})


def check_startup(settings: Settings) -> None:
    """Raise :class:`ConfigurationError`, one line per problem, when the start is unsafe."""
    problems = startup_problems(settings)
    if problems:
        raise ConfigurationError("\n".join(problems))


def startup_problems(settings: Settings) -> list[str]:
    """Every cross-field problem of ``settings``, one line each, naming its variable."""
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
    if sqlite_problem := _sqlite_problem(settings.database_url):
        problems.append(sqlite_problem)
    if settings.ehr_order_codes_path is not None:
        try:
            load_order_codes(settings.ehr_order_codes_path)
        except OrderCodeError as exc:
            problems.append(f"GLUTEAL_CDS_EHR_ORDER_CODES: {exc}")
    problems.extend(smart_app_problems(settings))
    return problems


def startup_warnings(settings: Settings) -> list[str]:
    """What works but deserves a word at start; none for the development default."""
    salt_unset = not settings.patient_hash_salt.strip()
    if salt_unset and settings.database_url != default_database_url():
        return [
            "GLUTEAL_CDS_PATIENT_HASH_SALT is empty: the patient hashes kept with shown cards "
            "are guessable; set it before the store holds real patients"
        ]
    return []


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


def _sqlite_file(database_url: str) -> Path | None:
    if "://" not in database_url:
        return Path(database_url).expanduser()
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in {None, "", ":memory:"}:
        return None
    return Path(str(url.database)).expanduser()


def _sqlite_problem(database_url: str) -> str | None:
    """Why the SQLite file cannot be written, tried for real (a read-only mount, a file where
    the directory should be), or None. Creates the directory, as the store would."""
    path = _sqlite_file(database_url)
    if path is None:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path.parent):
            pass
        if path.exists():
            with path.open("r+b"):
                pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return (
            f"GLUTEAL_CDS_DATABASE_URL: the SQLite file {path} cannot be written ({reason}); "
            "allowed: a file in a directory the service's user can write (in a container, "
            "a mounted volume), or a postgresql:// URL"
        )
    return None
