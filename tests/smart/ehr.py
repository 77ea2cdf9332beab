"""A test EHR: an OAuth 2 authorisation server doing the SMART EHR launch (Authlib's), with
a FHIR server (sekmet-fhir) behind it that answers only to the tokens it issued.

The "clinician" is signed in already and consents to everything: the authorisation
endpoint issues a code at once for a launch registered by the test (:meth:`LocalEhr.launch`).
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import requests
from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from flask import Flask, Response, jsonify, request
from werkzeug.serving import make_server

_PASSED_HEADERS = ("Content-Type", "Location", "ETag", "Last-Modified")


@dataclass
class Client(ClientMixin):  # type: ignore[misc]
    """The bedside app as the EHR registered it."""

    client_id: str
    redirect_uri: str
    client_secret: str | None = None

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_allowed_scope(self, scope: str) -> str:
        return scope

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        return redirect_uri == self.redirect_uri

    def check_client_secret(self, client_secret: str) -> bool:
        return self.client_secret is not None and secrets.compare_digest(
            client_secret, self.client_secret
        )

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == ("client_secret_basic" if self.client_secret else "none")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class Code:
    """An authorisation code and what it was issued for."""

    code: str
    client_id: str
    redirect_uri: str
    scope: str
    code_challenge: str
    code_challenge_method: str
    context: dict[str, Any]

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope


@dataclass
class LocalEhr:
    """The authorisation server and the FHIR proxy of one test."""

    fhir_upstream: str  # the sekmet-fhir base URL
    client: Client
    base: str = ""  # http://127.0.0.1:<port>, once started
    launches: dict[str, dict[str, Any]] = field(default_factory=dict)
    codes: dict[str, Code] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    authorize_requests: list[dict[str, str]] = field(default_factory=list)
    fhir_requests: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def fhir_base(self) -> str:
        """The FHIR base URL the EHR publishes (``iss``)."""
        return f"{self.base}/fhir"

    def launch(self, patient: str, app_context: str | None = None) -> str:
        """Register an EHR launch for ``patient``, passing on the card's ``appContext`` as
        CDS Hooks asks; the ``launch`` parameter."""
        launch_id = secrets.token_urlsafe(16)
        context = {"patient": patient, "fhirUser": "Practitioner/dr-who"}
        if app_context is not None:
            context["appContext"] = app_context
        self.launches[launch_id] = context
        return launch_id

    def token_for_cds(self) -> str:
        """A token such as the EHR hands the CDS service in ``fhirAuthorization``."""
        token = secrets.token_urlsafe(24)
        self.tokens[token] = {"scope": "patient/*.rs", "expires_at": time.time() + 300}
        return token

    def app(self) -> Flask:
        """The EHR's authorisation server and FHIR proxy."""
        app = Flask(__name__)
        server = AuthorizationServer(
            app, query_client=self._query_client, save_token=self._save_token
        )
        server.register_grant(_grant(self), [CodeChallenge(required=True)])
        app.add_url_rule("/fhir/.well-known/smart-configuration", view_func=self._configuration)
        app.add_url_rule("/authorize", view_func=lambda: self._authorize(server))
        app.add_url_rule("/token", view_func=server.create_token_response, methods=["POST"])
        app.add_url_rule("/fhir/<path:rest>", view_func=self._proxy, methods=["GET", "POST", "PUT"])
        return app

    def _query_client(self, client_id: str) -> Client | None:
        return self.client if client_id == self.client.client_id else None

    def _save_token(self, token: dict[str, Any], oauth_request: Any) -> None:
        context = oauth_request.user
        self.tokens[token["access_token"]] = {
            "scope": token.get("scope", ""),
            "expires_at": time.time() + int(token.get("expires_in", 3600)),
        }
        # SMART launch context travels in the token response.
        token["patient"] = context["patient"]
        token["fhirUser"] = context["fhirUser"]
        if "appContext" in context:
            token["appContext"] = context["appContext"]
        token["need_patient_banner"] = True

    def _configuration(self) -> Response:
        return jsonify(
            {
                "issuer": self.base,
                "authorization_endpoint": f"{self.base}/authorize",
                "token_endpoint": f"{self.base}/token",
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "none"],
                "grant_types_supported": ["authorization_code"],
                "code_challenge_methods_supported": ["S256"],
                "scopes_supported": ["launch", "openid", "fhirUser", "patient/*.rs"],
                "response_types_supported": ["code"],
                "capabilities": [
                    "launch-ehr",
                    "client-public",
                    "client-confidential-symmetric",
                    "context-ehr-patient",
                    "permission-v2",
                    "permission-patient",
                ],
            }
        )

    def _authorize(self, server: AuthorizationServer) -> Response:
        self.authorize_requests.append(dict(request.args))
        context = self.launches.get(request.args.get("launch", ""))
        if context is None or request.args.get("aud") != self.fhir_base:
            return Response("unknown launch or wrong aud", status=400)
        grant = server.get_consent_grant(end_user=context)
        response: Response = server.create_authorization_response(grant=grant, grant_user=context)
        return response

    def _proxy(self, rest: str) -> Response:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        granted = self.tokens.get(token)
        if granted is None or granted["expires_at"] < time.time():
            self.fhir_requests.append((request.method, rest, 401))
            return Response('{"resourceType":"OperationOutcome"}', status=401)
        upstream = requests.request(
            request.method,
            f"{self.fhir_upstream}/{rest}",
            params=list(request.args.items(multi=True)),
            data=request.get_data(),
            headers={"Content-Type": request.headers.get("Content-Type", "application/json")},
            timeout=15,
        )
        self.fhir_requests.append((request.method, rest, upstream.status_code))
        body = upstream.content.replace(self.fhir_upstream.encode(), self.fhir_base.encode())
        headers = {k: v for k, v in upstream.headers.items() if k in _PASSED_HEADERS}
        if "Location" in headers:
            headers["Location"] = headers["Location"].replace(self.fhir_upstream, self.fhir_base)
        return Response(body, status=upstream.status_code, headers=headers)


def _grant(ehr: LocalEhr) -> type[grants.AuthorizationCodeGrant]:
    class Grant(grants.AuthorizationCodeGrant):  # type: ignore[misc]
        TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "none"]  # noqa: RUF012

        def save_authorization_code(self, code: str, oauth_request: Any) -> None:
            data = oauth_request.payload.data
            ehr.codes[code] = Code(
                code,
                oauth_request.client.client_id,
                oauth_request.payload.redirect_uri,
                oauth_request.payload.scope,
                data.get("code_challenge", ""),
                data.get("code_challenge_method", ""),
                oauth_request.user,
            )

        def query_authorization_code(self, code: str, client: Client) -> Code | None:
            found = ehr.codes.get(code)
            return found if found and found.client_id == client.client_id else None

        def delete_authorization_code(self, authorization_code: Code) -> None:
            ehr.codes.pop(authorization_code.code, None)

        def authenticate_user(self, authorization_code: Code) -> dict[str, Any]:
            return authorization_code.context

    return Grant


@contextmanager
def running(ehr: LocalEhr) -> Iterator[LocalEhr]:
    """Serve ``ehr`` on a free loopback port for the ``with`` block."""
    server = make_server("127.0.0.1", 0, ehr.app(), threaded=True)
    ehr.base = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ehr
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
