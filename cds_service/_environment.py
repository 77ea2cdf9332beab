"""``GLUTEAL_CDS_*`` environment variables, parsed and checked by pydantic-settings.

Each field is one variable: its type and range, and in ``description`` what it allows,
which every error repeats. A field left unset (or set to an empty string) keeps the
default of :class:`~cds_service.settings.Settings`, so defaults are written down once.
"""

from __future__ import annotations

import difflib
import importlib.util
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

__all__ = ["PREFIX", "SECRETS", "Environment", "IssuerEntry", "read_environment", "variable_of"]

PREFIX = "GLUTEAL_CDS_"
# Never printed, never repeated in an error: they hold a password or a salt.
SECRETS = frozenset({"database_url", "metrics_token", "patient_hash_salt", "smart_client_secret"})
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def _csv(raw: object) -> object:
    if not isinstance(raw, str):
        return raw
    return tuple(part.strip() for part in raw.split(",") if part.strip())


def _upper(raw: object) -> object:
    return raw.strip().upper() if isinstance(raw, str) else raw


def _lower(raw: object) -> object:
    return raw.strip().lower() if isinstance(raw, str) else raw


Csv = Annotated[tuple[str, ...], NoDecode, BeforeValidator(_csv)]
# A CSP source is 'self' or a scheme://host[:port] origin: nothing that could end the directive.
_FRAME_SOURCE = re.compile(r"'self'|https?://(\*\.)?[A-Za-z0-9.-]+(:[0-9]{1,5})?")


def _frame_sources(raw: object) -> object:
    if not isinstance(raw, str):
        return raw
    sources = tuple(part for part in raw.replace(",", " ").split() if part)
    bad = [source for source in sources if not _FRAME_SOURCE.fullmatch(source)]
    if bad or not sources:
        raise ValueError(f"not a frame source: {', '.join(bad) or '(none)'}")
    return sources


FrameSources = Annotated[tuple[str, ...], NoDecode, BeforeValidator(_frame_sources)]


class IssuerEntry(BaseModel):
    """A trusted issuer's JWKS and the FHIR servers its calls may name (contract section 6)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    jwks: str
    fhirServers: tuple[str, ...] = ()  # noqa: N815 - the contract's name


def _var(suffix: str, allowed: str, **constraints: Any) -> Any:
    return Field(None, validation_alias=PREFIX + suffix, description=allowed, **constraints)


class Environment(BaseSettings):
    """The variables that are set; ``None`` means unset (the default applies)."""

    model_config = SettingsConfigDict(
        case_sensitive=True, env_ignore_empty=True, extra="ignore", frozen=True
    )

    database_url: str | None = _var(
        "DATABASE_URL", "sqlite:///<file>, postgresql://<user>:<password>@<host>/<db> or a path"
    )
    trusted_issuers: dict[str, str | IssuerEntry] | None = _var(
        "TRUSTED_ISSUERS",
        'a JSON object, issuer -> JWKS URL: {"https://iss": "https://jwks"}, or issuer -> '
        '{"jwks": URL, "fhirServers": [base URLs]}',
    )
    fhir_allowlist: Csv | None = _var("FHIR_ALLOWLIST", "comma-separated FHIR base URLs")
    allow_http_fhir: bool | None = _var("ALLOW_HTTP_FHIR", "1, true, yes, on or 0, false, no, off")
    cors_origins: Csv | None = _var("CORS_ORIGINS", "comma-separated origins, or *")
    observation_max_age_days: int | None = _var(
        "OBSERVATION_MAX_AGE_DAYS", "whole days, 1 to 36500", ge=1, le=36500
    )
    max_body_bytes: int | None = _var("MAX_BODY_BYTES", "bytes, 1024 or more", ge=1024)
    max_prefetch_entries: int | None = _var("MAX_PREFETCH_ENTRIES", "a whole number >= 1", ge=1)
    fhir_connect_timeout_s: float | None = _var(
        "FHIR_CONNECT_TIMEOUT", "seconds, more than 0 and at most 60", gt=0, le=60
    )
    fhir_read_timeout_s: float | None = _var(
        "FHIR_READ_TIMEOUT", "seconds, more than 0 and at most 300", gt=0, le=300
    )
    fhir_max_response_bytes: int | None = _var(
        "FHIR_MAX_RESPONSE_BYTES", "bytes, 1024 or more", ge=1024
    )
    fhir_max_call_bytes: int | None = _var("FHIR_MAX_CALL_BYTES", "bytes, 1024 or more", ge=1024)
    fhir_max_pages: int | None = _var("FHIR_MAX_PAGES", "a whole number, 1 to 1000", ge=1, le=1000)
    fhir_time_budget_s: float | None = _var(
        "FHIR_TIME_BUDGET", "seconds, more than 0 and at most 300", gt=0, le=300
    )
    request_budget_s: float | None = _var(
        "REQUEST_BUDGET", "seconds, more than 0 and at most 300", gt=0, le=300
    )
    workers: int | None = _var("WORKERS", "a whole number, 1 to 256", ge=1, le=256)
    threads: int | None = _var("THREADS", "a whole number, 1 to 64", ge=1, le=64)
    jwt_leeway_s: int | None = _var("JWT_LEEWAY", "whole seconds, 0 to 300", ge=0, le=300)
    jwt_max_lifetime_s: int | None = _var(
        "JWT_MAX_LIFETIME", "whole seconds, 1 to 86400", ge=1, le=86400
    )
    jwks_timeout_s: float | None = _var(
        "JWKS_TIMEOUT", "seconds, more than 0 and at most 60", gt=0, le=60
    )
    replay_check_timeout_s: float | None = _var(
        "REPLAY_CHECK_TIMEOUT", "seconds, more than 0 and at most 5", gt=0, le=5
    )
    replay_check_when_database_down: (
        Annotated[Literal["accept-local", "refuse"], BeforeValidator(_lower)] | None
    ) = _var("REPLAY_CHECK_WHEN_DATABASE_DOWN", "accept-local, or refuse (503)")
    patient_hash_salt: str | None = _var("PATIENT_HASH_SALT", "any text; long and random")
    shown_cards_retention_days: int | None = _var(
        "SHOWN_CARDS_RETENTION_DAYS", "whole days, 0 (keep them) to 36500", ge=0, le=36500
    )
    public_base_url: str | None = _var(
        "PUBLIC_BASE_URL", "an http(s) URL such as https://cds.example.org"
    )
    knowledge_base_path: Path | None = _var("KNOWLEDGE_BASE", "the path of a YAML file")
    smart_client_id: str | None = _var(
        "SMART_CLIENT_ID", "the client id the EHR registered the bedside app under"
    )
    smart_client_secret: str | None = _var(
        "SMART_CLIENT_SECRET", "the secret of a confidential client; unset for a public one"
    )
    smart_scopes: str | None = _var("SMART_SCOPES", "space-separated SMART scopes")
    metrics_token: str | None = _var(
        "METRICS_TOKEN",
        "a long random secret, 16 characters or more; unset: /metrics is off",
        min_length=16,
    )
    smart_issuers: Csv | None = _var(
        "SMART_ISSUERS",
        "comma-separated FHIR base URLs (https) of the EHRs that may launch the app",
    )
    smart_frame_ancestors: FrameSources | None = _var(
        "SMART_FRAME_ANCESTORS",
        "'self' and origins such as https://ehr.example.org, comma- or space-separated",
    )
    vignettes_dir: Path | None = _var("VIGNETTES_DIR", "the path of a folder")
    selection_behavior: Literal["at-most-one", "any"] | None = _var(
        "SELECTION_BEHAVIOR", "at-most-one, or any (Epic)"
    )
    ehr_order_codes_path: Path | None = _var(
        "EHR_ORDER_CODES", "the path of a JSON or YAML file: test code -> the EHR's codings"
    )
    autolaunch_bedside_app: bool | None = _var(
        "AUTOLAUNCH_BEDSIDE_APP", "1, true, yes, on or 0, false, no, off"
    )
    prefetch_observations: Literal["dated", "plain"] | None = _var(
        "PREFETCH_OBSERVATIONS",
        "dated (only observations the service reads) or plain (for EHRs without date tokens)",
    )
    system_actions_extension: bool | None = _var(
        "SYSTEM_ACTIONS_EXTENSION", "1, true, yes, on or 0, false, no, off"
    )
    log_level: (
        Annotated[Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"], BeforeValidator(_upper)]
        | None
    ) = _var("LOG_LEVEL", ", ".join(_LOG_LEVELS))
    log_format: Annotated[Literal["json", "text"], BeforeValidator(_lower)] | None = _var(
        "LOG_FORMAT", "json (one object per line) or text (for reading in a terminal)"
    )

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str | None) -> str | None:
        if value is None or "://" not in value:
            return value  # a plain path is a SQLite file
        if value.startswith("postgres://"):  # what many hosts hand out; SQLAlchemy's name
            value = "postgresql://" + value.removeprefix("postgres://")
        try:
            backend = make_url(value).get_backend_name()
        except (ArgumentError, ValueError):
            raise ValueError("not a database URL") from None
        if backend not in {"sqlite", "postgresql"}:
            raise ValueError(f"{backend} is not supported, only sqlite and postgresql")
        if backend == "postgresql" and importlib.util.find_spec("psycopg") is None:
            raise ValueError("PostgreSQL needs its driver: pip install 'gluteal-cds[postgres]'")
        return value

    @field_validator("smart_issuers")
    @classmethod
    def _smart_issuers(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        for url in value or ():
            if not url.startswith(("https://", "http://")):
                raise ValueError(f"{url} is not an https URL")
        return value

    @field_validator("public_base_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with https:// (or http://)")
        return value.rstrip("/") if value else value


def variable_of(field: str) -> str:
    """The environment variable of a :class:`Environment` field."""
    alias = Environment.model_fields[field].validation_alias
    assert isinstance(alias, str)  # noqa: S101 - every field declares one (_var)
    return alias


def read_environment() -> tuple[dict[str, Any], list[str]]:
    """The values set in the environment by field name, and every problem, one per line."""
    problems = _unknown_variables(os.environ)
    try:
        values = Environment().model_dump(exclude_none=True)
    except ValidationError as exc:
        return {}, problems + [_problem(error) for error in exc.errors()]
    return values, problems


def _unknown_variables(environ: Mapping[str, str]) -> list[str]:
    known = [variable_of(name) for name in Environment.model_fields]
    problems = []
    for name in sorted(environ):
        if name.startswith(PREFIX) and name not in known:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]}?" if close else "see README, 'Configuration'"
            problems.append(f"{name}: not a setting of this service; {hint}")
    return problems


def _problem(error: ErrorDetails) -> str:
    variable = str(error["loc"][0])
    field = next(n for n in Environment.model_fields if variable_of(n) == variable)
    allowed = Environment.model_fields[field].description
    given = "" if field in SECRETS else f" (got {error['input']!r})"
    message = error["msg"].removeprefix("Value error, ")
    return f"{variable}: {message}{given}; allowed: {allowed}"
