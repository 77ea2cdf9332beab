"""SMART App Launch 2.0, EHR launch: the authorisation URL (Authlib's OAuth 2 client) and
the token calls (through the guarded transport, :mod:`cds_service.smart.issuers`).

PKCE S256 always, ``state`` checked, the token response's launch context (``patient``,
``encounter``, ``fhirContext``, ``need_patient_banner``) read, the token refreshed when the
EHR granted a refresh token. A confidential client (with a secret) authenticates with
``client_secret_basic``, only at the token endpoint pinned at launch; a public one sends
only its id.
"""

from __future__ import annotations

import base64
import hmac
import json
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import jwt
from authlib.integrations.requests_client import OAuth2Session

from cds_service.errors import ServiceError
from cds_service.smart.scopes import scopes_for
from cds_service.smart.sessions import SmartSession
from cds_service.smart.transport import PeerError

__all__ = [
    "LaunchError",
    "OAuthClient",
    "TokenPost",
    "begin_launch",
    "finish_launch",
    "refresh",
    "token_expiring",
]

# POST to the pinned token endpoint: (url, data=..., headers=...) -> (status, JSON object).
TokenPost = Callable[..., tuple[int, dict[str, Any] | None]]
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


def begin_launch(
    client: OAuthClient,
    state: SmartSession,
    *,
    iss: str,
    launch: str,
    configuration: Mapping[str, Any],
) -> str:
    """Record the pending authorisation in ``state``; the authorisation URL to go to.

    ``configuration`` is the configured issuer's pinned discovery: its token endpoint is
    kept in the session, the only place the client secret is ever sent.
    """
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
    client: OAuthClient,
    state: SmartSession,
    *,
    code: str,
    returned_state: str,
    post: TokenPost,
) -> None:
    """Check ``state``, exchange ``code`` for a token; keep the token and launch context."""
    if not state.state or not hmac.compare_digest(state.state, returned_state):
        raise LaunchError("The sign-in answer does not belong to this launch; launch again.")
    state.state = ""  # one use
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": client.redirect_uri,
        "code_verifier": state.code_verifier,
    }
    token = _token(client, state.token_endpoint, form, post)
    if token is None:
        raise LaunchError("The EHR refused to issue a token for this launch.")
    state.code_verifier = ""
    state.token = token
    state.patient = _text(token.get("patient"))
    state.encounter = _text(token.get("encounter"))
    state.author = _text(token.get("fhirUser")) or _id_token_user(token.get("id_token"))
    state.need_patient_banner = token.get("need_patient_banner") is True
    state.hint = {**state.hint, **_context_hint(token)}


def refresh(client: OAuthClient, state: SmartSession, post: TokenPost) -> bool:
    """Renew the access token with the refresh token the EHR granted; False if it cannot."""
    refresh_token = state.token.get("refresh_token")
    if not isinstance(refresh_token, str) or not state.token_endpoint:
        return False
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    token = _token(client, state.token_endpoint, form, post)
    if token is None:
        return False
    # A server may keep the refresh token and answer without it (RFC 6749 6).
    state.token = {"refresh_token": refresh_token, **token}
    return True


def token_expiring(state: SmartSession, now: float, margin_s: float = 30.0) -> bool:
    """The access token ends within ``margin_s`` (a refresh is due, when one was granted)."""
    expires_at = state.token.get("expires_at")
    return isinstance(expires_at, int | float) and expires_at - margin_s <= now


def _token(
    client: OAuthClient, endpoint: str, form: dict[str, str], post: TokenPost
) -> dict[str, Any] | None:
    """POST ``form`` to the pinned token endpoint; the token answered, or None."""
    headers = {"Accept": "application/json"}
    if client.client_secret:  # client_secret_basic: both parts form-encoded (RFC 6749 2.3.1)
        pair = f"{quote(client.client_id, safe='')}:{quote(client.client_secret, safe='')}"
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
    else:
        form = {**form, "client_id": client.client_id}
    try:
        status, body = post(endpoint, data=form, headers=headers)
    except PeerError:
        return None
    if status != 200 or body is None or not isinstance(body.get("access_token"), str):
        return None
    token = dict(body)
    expires_in = token.get("expires_in")
    if isinstance(expires_in, int | float) and not isinstance(expires_in, bool):
        token["expires_at"] = time.time() + float(expires_in)
    return token


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
