"""SMART App Launch 2.0, EHR launch, with Authlib's OAuth 2 client.

Discovery at ``{iss}/.well-known/smart-configuration``, PKCE S256 always, ``state``
checked, the token response's launch context (``patient``, ``encounter``, ``fhirContext``)
read. A confidential client (with a secret) authenticates with ``client_secret_basic``;
a public one sends only its id.
"""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jwt
import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.requests_client import OAuth2Session

from cds_service.errors import ServiceError
from cds_service.smart.scopes import scopes_for
from cds_service.smart.sessions import SmartSession

__all__ = ["LaunchError", "OAuthClient", "begin_launch", "finish_launch"]

_TIMEOUT = (3.0, 10.0)
_HINT_MAX_CHARS = 2000


class LaunchError(ServiceError):
    """The launch cannot go on: a bad parameter, an unreachable or refusing server."""

    status = 400


@dataclass(frozen=True)
class OAuthClient:
    """How this app is registered with the EHR's authorisation server."""

    client_id: str
    client_secret: str | None
    redirect_uri: str
    scopes: str | None


def _oauth(client: OAuthClient, scope: str | None = None) -> OAuth2Session:
    return OAuth2Session(
        client.client_id,
        client.client_secret,
        scope=scope,
        redirect_uri=client.redirect_uri,
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic" if client.client_secret else "none",
    )


def discover(iss: str, session: requests.Session) -> dict[str, Any]:
    """The server's ``.well-known/smart-configuration``; :class:`LaunchError` without one."""
    url = f"{iss.rstrip('/')}/.well-known/smart-configuration"
    try:
        response = session.get(
            url, headers={"Accept": "application/json"}, timeout=_TIMEOUT, allow_redirects=False
        )
        body = response.json() if response.status_code == 200 else None
    except (requests.RequestException, ValueError):
        body = None
    if not isinstance(body, dict) or not all(
        isinstance(body.get(key), str) for key in ("authorization_endpoint", "token_endpoint")
    ):
        raise LaunchError("The EHR's FHIR server publishes no usable SMART configuration.")
    return body


def begin_launch(
    client: OAuthClient,
    state: SmartSession,
    *,
    iss: str,
    launch: str,
    configuration: Mapping[str, Any],
) -> str:
    """Record the pending authorisation in ``state``; the authorisation URL to go to."""
    state.iss = iss.rstrip("/")
    state.state = secrets.token_urlsafe(32)
    state.code_verifier = secrets.token_urlsafe(64)
    state.token_endpoint = str(configuration["token_endpoint"])
    oauth = _oauth(client, scopes_for(client.scopes, configuration))
    url, _ = oauth.create_authorization_url(
        str(configuration["authorization_endpoint"]),
        state=state.state,
        code_verifier=state.code_verifier,
        launch=launch,
        aud=state.iss,
    )
    return str(url)


def finish_launch(
    client: OAuthClient, state: SmartSession, *, code: str, returned_state: str
) -> None:
    """Check ``state``, exchange ``code`` for a token; keep the token and launch context."""
    if not state.state or not hmac.compare_digest(state.state, returned_state):
        raise LaunchError("The sign-in answer does not belong to this launch; launch again.")
    state.state = ""  # one use
    try:
        token = _oauth(client).fetch_token(
            state.token_endpoint,
            code=code,
            code_verifier=state.code_verifier,
            timeout=_TIMEOUT,
        )
    except (AuthlibBaseError, requests.RequestException, ValueError):
        raise LaunchError("The EHR refused to issue a token for this launch.") from None
    state.code_verifier = ""
    state.token = dict(token)
    state.patient = _text(token.get("patient"))
    state.encounter = _text(token.get("encounter"))
    state.author = _text(token.get("fhirUser")) or _id_token_user(token.get("id_token"))
    state.hint = {**state.hint, **_context_hint(token)}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _id_token_user(id_token: object) -> str | None:
    # The ID token came straight from the token endpoint over the connection we opened,
    # which OpenID Connect Core 3.1.3.7 (6) accepts in place of its signature; only the
    # author's reference is read from it.
    if not isinstance(id_token, str):
        return None
    try:
        claims = jwt.decode(id_token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    user = claims.get("fhirUser")
    if not isinstance(user, str) or user.count("/") < 1:
        return None
    # An absolute URL ends with the relative reference: <base>/Practitioner/<id>.
    return "/".join(user.rstrip("/").split("/")[-2:])


def _context_hint(token: Mapping[str, Any]) -> dict[str, Any]:
    """``appContext`` (a JSON object) and ``fhirContext``, when present: hints only."""
    hint: dict[str, Any] = {}
    raw = token.get("appContext")
    if isinstance(raw, str) and len(raw) <= _HINT_MAX_CHARS:
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            hint.update(parsed)
    if isinstance(token.get("fhirContext"), list):
        hint["fhirContext"] = token["fhirContext"]
    return hint
