"""Service configuration, read once from environment variables by the app factory.

:class:`Settings` is a plain frozen dataclass, so tests build it directly and vary it with
:func:`dataclasses.replace`; :meth:`Settings.from_env` reads and checks the environment
with pydantic-settings (:mod:`cds_service._environment`). Every variable is documented in
the README.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sqlalchemy.engine import make_url

from cds_service._environment import Environment, read_environment, variable_of

__all__ = ["ConfigurationError", "Settings", "available_cores", "default_database_url"]


class ConfigurationError(ValueError):
    """An environment variable has a value the service cannot use."""


def default_database_url() -> str:
    """The development store: a SQLite file under ./instance."""
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

    database_url: str = field(default_factory=default_database_url)
    # issuer -> JWKS URL; empty means caller authentication is off (contract section 6).
    trusted_issuers: Mapping[str, str] = field(default_factory=dict)
    # issuer -> the FHIR base URLs its calls may name (issuers not listed are not bound).
    issuer_fhir_servers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    fhir_allowlist: tuple[str, ...] = ()  # empty: any https FHIR server
    allow_http_fhir: bool = False
    cors_origins: tuple[str, ...] = ("*",)
    observation_max_age_days: int = 180
    max_body_bytes: int = 5 * 1024 * 1024
    max_prefetch_entries: int = 5000
    fhir_connect_timeout_s: float = 2.0
    fhir_read_timeout_s: float = 5.0
    fhir_max_response_bytes: int = 20 * 1024 * 1024  # larger FHIR answers are unreadable
    fhir_max_call_bytes: int = 50 * 1024 * 1024  # all FHIR answers of one hook call
    fhir_max_pages: int = 10
    fhir_time_budget_s: float = 8.0
    # Wall time one hook call may take; the FHIR fallback gets this less a margin.
    request_budget_s: float = 2.0
    workers: int = field(default_factory=available_cores)  # gunicorn processes
    # per worker: spare threads keep /healthz and other calls answering while a few calls
    # wait on slow peers (hook calls are CPU-bound: more threads only queue on the GIL)
    threads: int = 4
    jwt_leeway_s: int = 30
    jwt_max_lifetime_s: int = 3600  # a caller JWT's exp at most this long after its iat
    jwks_timeout_s: float = 3.0  # wall time of one fetch of an issuer's keys, however slow
    # A caller token's replay check waits this long on the database at most; when it cannot
    # answer: accept-local (this worker's memory decides) or refuse (503). store/replay.py.
    replay_check_timeout_s: float = 0.05
    replay_check_when_database_down: Literal["accept-local", "refuse"] = "accept-local"
    patient_hash_salt: str = ""  # salt for the hash of patient ids kept with shown cards
    shown_cards_retention_days: int = 90  # shown cards older than this are deleted; 0: kept
    # e.g. https://cds.example.org; required with authentication; else from the request
    public_base_url: str | None = None
    knowledge_base_path: Path | None = None  # override the packaged knowledge base
    # CDS Hooks requests the /try page offers as examples; None hides the menu.
    vignettes_dir: Path | None = field(default_factory=_default_vignettes_dir)
    log_level: str = "INFO"  # of the logs under `serve`
    log_format: Literal["json", "text"] = "json"  # text: for reading in a terminal
    # The bedside SMART app (contract section 5): on when a client id is set.
    smart_client_id: str | None = None
    smart_client_secret: str | None = None  # a confidential client; None: a public one
    smart_scopes: str | None = None  # None: the app's default scopes
    # Bearer token a Prometheus scrape of /metrics must send; None: /metrics is off (403).
    metrics_token: str | None = None
    # FHIR base URLs of the EHRs that may launch the app; empty: the trusted issuers' servers.
    smart_issuers: tuple[str, ...] = ()
    # Who may frame the app (CSP frame-ancestors): 'self' and the EHRs' origins.
    smart_frame_ancestors: tuple[str, ...] = ("'self'",)
    # The EHR profile (README, "Connecting an EHR"; cds_service/hooks/ehr_profile.py).
    selection_behavior: Literal["at-most-one", "any"] = "at-most-one"  # Epic: any
    ehr_order_codes_path: Path | None = None  # our test code -> the EHR's orderable codes
    # CDS Hooks 3.0 (ballot): the bedside-app link opens by itself when only the complaint
    # is recorded and the app is the only sensible next step.
    autolaunch_bedside_app: bool = False
    # dated: the discovery prefetch asks only for observations the service reads
    # (date=ge{{today() - N days}}); plain: every observation, for EHRs without date tokens.
    prefetch_observations: Literal["dated", "plain"] = "dated"
    # extension.systemActions: the copy the public CDS Hooks sandbox reads.
    system_actions_extension: bool = True

    @classmethod
    def from_env(cls) -> Settings:
        """Read ``GLUTEAL_CDS_*`` variables; unset ones keep their default.

        Raises :class:`ConfigurationError` listing every problem at once: a value of the
        wrong type or out of range, and any ``GLUTEAL_CDS_*`` variable that is not a
        setting (a typo would otherwise pass silently), each with what is allowed.
        """
        values, problems = read_environment()
        if problems:
            raise ConfigurationError("\n".join(problems))
        jwks, servers = _split_issuers(values.pop("trusted_issuers", {}))
        return cls(**values, trusted_issuers=jwks, issuer_fhir_servers=servers)

    def described(self) -> list[tuple[str, str]]:
        """Every setting as (variable, effective value), secrets masked."""
        return [(variable_of(name), _shown(name, getattr(self, name))) for name in _FIELDS]

    @property
    def smart_launch_issuers(self) -> tuple[str, ...]:
        """The ``iss`` values a launch may name: the setting, else the issuers' servers."""
        if self.smart_issuers:
            return self.smart_issuers
        servers = (url for urls in self.issuer_fhir_servers.values() for url in urls)
        return tuple(dict.fromkeys(servers))

    @property
    def auth_enabled(self) -> bool:
        """Caller JWTs are checked only when trusted issuers are configured."""
        return bool(self.trusted_issuers)


_FIELDS = tuple(Environment.model_fields)


def _split_issuers(
    issuers: Mapping[str, object],
) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """``trusted_issuers`` (issuer -> JWKS URL) and ``issuer_fhir_servers`` from the variable."""
    jwks: dict[str, str] = {}
    servers: dict[str, tuple[str, ...]] = {}
    for issuer, entry in issuers.items():
        if isinstance(entry, Mapping):
            jwks[issuer] = str(entry["jwks"])
            if entry.get("fhirServers"):
                servers[issuer] = tuple(str(url) for url in entry["fhirServers"])
        else:
            jwks[issuer] = str(entry)
    return jwks, servers


def _shown(name: str, value: object) -> str:
    if name in {"patient_hash_salt", "smart_client_secret", "metrics_token"}:
        return "(set, hidden)" if value else "(empty)"
    if name == "database_url":
        return make_url(str(value)).render_as_string(hide_password=True) if value else ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, tuple):
        return ",".join(value)
    if isinstance(value, dict):
        return json.dumps(value) if value else ""
    return "" if value is None else str(value)
