"""The SMART scopes the bedside app asks for: v2, with their v1 forms for older servers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

__all__ = ["DEFAULT_SCOPES", "scopes_for"]

DEFAULT_SCOPES = (
    "launch openid fhirUser patient/Patient.rs patient/Observation.rs patient/Condition.rs "
    "patient/QuestionnaireResponse.rs patient/QuestionnaireResponse.c patient/Observation.c"
)
# SMART v2 permissions -> the v1 permission that grants them.
_V1 = {"rs": "read", "r": "read", "s": "read", "c": "write", "u": "write", "cu": "write"}


def _v1(scope: str) -> str:
    context, slash, rest = scope.partition("/")
    resource, dot, permissions = rest.partition(".")
    if not slash or not dot or context not in {"patient", "user", "system"}:
        return scope  # launch, openid, fhirUser ...
    return f"{context}/{resource}.{_V1.get(permissions.split('?')[0], permissions)}"


def scopes_for(configured: str | None, configuration: Mapping[str, object]) -> str:
    """The scopes to ask for: v2 when the server's smart-configuration lists the
    ``permission-v2`` capability, else their v1 forms (``.rs`` -> ``.read``,
    ``.c`` -> ``.write``)."""
    wanted = (configured or DEFAULT_SCOPES).split()
    capabilities = configuration.get("capabilities")
    v2 = isinstance(capabilities, Sequence) and "permission-v2" in capabilities
    return " ".join(wanted if v2 else dict.fromkeys(_v1(scope) for scope in wanted))
