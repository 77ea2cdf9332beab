"""Service configuration, read once from environment variables by the app factory.

Every variable is documented in the README. Tests build :class:`Settings` directly.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

__all__ = ["ConfigurationError", "Settings", "available_cores"]

_PREFIX = "GLUTEAL_CDS_"
_Number = TypeVar("_Number", int, float)


class ConfigurationError(ValueError):
    """An environment variable has a value the service cannot use."""


def _default_database_url() -> str:
    return f"sqlite:///{Path.cwd() / 'instance' / 'gluteal-cds.sqlite3'}"


def available_cores() -> int:
    """CPUs this process may use: affinity, capped by a cgroup v2 quota (containers); >= 2."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    quota = _cgroup_cpu_quota()
    if quota is not None:
        cores = min(cores or 1, quota)
    return max(2, cores or 2)


def _cgroup_cpu_quota(path: Path = Path("/sys/fs/cgroup/cpu.max")) -> int | None:
    # "max 100000" means no limit; "150000 100000" means 1.5 CPUs (rounded up).
    try:
        quota, period = path.read_text().split()[:2]
        return None if quota == "max" else -(-int(quota) // int(period))
    except (OSError, ValueError, ZeroDivisionError):
        return None


def _default_vignettes_dir() -> Path | None:
    # A source checkout sits next to ../shared; an installed package has no examples.
    candidate = Path(__file__).resolve().parents[1].parent / "shared" / "vignettes"
    return candidate if candidate.is_dir() else None


@dataclass(frozen=True)
class Settings:
    """Everything the service can be told from outside."""

    database_url: str = field(default_factory=_default_database_url)
    # issuer -> JWKS URL; empty means caller authentication is off (contract section 6).
    trusted_issuers: Mapping[str, str] = field(default_factory=dict)
    fhir_allowlist: tuple[str, ...] = ()  # empty: any https FHIR server
    allow_http_fhir: bool = False
    cors_origins: tuple[str, ...] = ("*",)
    observation_max_age_days: int = 180
    max_body_bytes: int = 5 * 1024 * 1024
    max_prefetch_entries: int = 5000
    fhir_connect_timeout_s: float = 2.0
    fhir_read_timeout_s: float = 5.0
    fhir_max_pages: int = 10
    fhir_time_budget_s: float = 8.0
    # Wall time one hook call may take; the FHIR fallback gets this less a margin.
    request_budget_s: float = 2.0
    workers: int = field(default_factory=available_cores)  # gunicorn processes
    threads: int = 1  # per worker: hook calls are CPU-bound, threads only queue on the GIL
    jwt_leeway_s: int = 30
    patient_hash_salt: str = ""  # salt for the hash of patient ids kept with shown cards
    public_base_url: str | None = None  # e.g. https://cds.example.org; default: from request
    knowledge_base_path: Path | None = None  # override the packaged knowledge base
    # CDS Hooks requests the /try page offers as examples; None hides the menu.
    vignettes_dir: Path | None = field(default_factory=_default_vignettes_dir)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read settings from ``GLUTEAL_CDS_*`` variables; unset ones keep their default."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        readers: dict[str, tuple[str, Callable[[str], object]]] = {
            "DATABASE_URL": ("database_url", str),
            "TRUSTED_ISSUERS": ("trusted_issuers", _issuers),
            "FHIR_ALLOWLIST": ("fhir_allowlist", _csv),
            "ALLOW_HTTP_FHIR": ("allow_http_fhir", _flag),
            "CORS_ORIGINS": ("cors_origins", _csv),
            "OBSERVATION_MAX_AGE_DAYS": ("observation_max_age_days", int),
            "MAX_BODY_BYTES": ("max_body_bytes", int),
            "MAX_PREFETCH_ENTRIES": ("max_prefetch_entries", int),
            "FHIR_CONNECT_TIMEOUT": ("fhir_connect_timeout_s", float),
            "FHIR_READ_TIMEOUT": ("fhir_read_timeout_s", float),
            "FHIR_MAX_PAGES": ("fhir_max_pages", int),
            "FHIR_TIME_BUDGET": ("fhir_time_budget_s", float),
            "REQUEST_BUDGET": ("request_budget_s", _positive(float)),
            "WORKERS": ("workers", _positive(int)),
            "THREADS": ("threads", _positive(int)),
            "JWT_LEEWAY": ("jwt_leeway_s", int),
            "PATIENT_HASH_SALT": ("patient_hash_salt", str),
            "PUBLIC_BASE_URL": ("public_base_url", lambda v: v.rstrip("/")),
            "KNOWLEDGE_BASE": ("knowledge_base_path", Path),
            "VIGNETTES_DIR": ("vignettes_dir", Path),
        }
        for suffix, (name, parse) in readers.items():
            raw = env.get(_PREFIX + suffix)
            if raw is None or raw == "":
                continue
            try:
                values[name] = parse(raw)
            except (ValueError, TypeError) as exc:
                raise ConfigurationError(f"{_PREFIX}{suffix}: {exc}") from exc
        return cls(**values)  # type: ignore[arg-type]

    @property
    def auth_enabled(self) -> bool:
        """Caller JWTs are checked only when trusted issuers are configured."""
        return bool(self.trusted_issuers)


def _positive(parse: Callable[[str], _Number]) -> Callable[[str], _Number]:
    def read(raw: str) -> _Number:
        value = parse(raw)
        if value <= 0:
            raise ValueError("must be positive")
        return value

    return read


def _csv(raw: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in raw.split(",") if part.strip())


def _flag(raw: str) -> bool:
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _issuers(raw: str) -> dict[str, str]:
    parsed = json.loads(raw)
    if not isinstance(parsed, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in parsed.items()
    ):
        raise ValueError("must be a JSON object mapping issuer to JWKS URL")
    return parsed
