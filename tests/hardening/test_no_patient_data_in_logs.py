"""No patient data and no tokens in any log line of a full run of every vignette.

Every vignette goes through real HTTP (werkzeug's server, so its request log is part of the
run), with caller JWTs required; vignette 19 reads from a real local FHIR server with its
bearer token, so the HTTP library's own DEBUG logging is part of the run too. Every record
of every logger is kept at DEBUG: its formatted text (with any traceback) and every extra
attribute, so the check holds whatever format the logs are written in (JSON lines too).
"""

from __future__ import annotations

import json
import logging
import re
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import jwt
import pytest
import requests
import responses
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from cds_service.app import create_app
from cds_service.settings import Settings
from cds_service.store import store_of
from tests.hardening.seeds import vignettes
from tests.support.clock import FIXED_NOW, FakeClock
from tests.support.issuer import ISSUER, JWKS_URL, SigningKey, es384_key

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
_LOGGERS = ("", "werkzeug", "gunicorn.error", "gunicorn.access", "flask.app", "urllib3")


class KeepEverything(logging.Handler):
    """Keeps each record as its formatted text plus its extra attributes."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name == "responses":
            return  # the test's HTTP mock, not part of the service
        extras = {k: v for k, v in vars(record).items() if k not in _STANDARD}
        self.lines.append(self.format(record) + " " + json.dumps(extras, default=repr))


@pytest.fixture
def all_logs() -> Iterator[KeepEverything]:
    handler = KeepEverything()
    loggers = [logging.getLogger(name) for name in _LOGGERS]
    saved = [(lg, lg.level, lg.propagate) for lg in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        logger.propagate = False  # each record once, whatever handlers others installed
    yield handler
    for logger, level, propagate in saved:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


@dataclass
class Secrets:
    """What must never be logged, gathered from the requests actually sent."""

    words: set[str] = field(default_factory=set)  # matched as whole words
    strings: set[str] = field(default_factory=set)  # matched anywhere (tokens)

    def add_patient_data(self, request: dict[str, Any], fhir_data: dict[str, Any]) -> None:
        self.words.add(request["context"]["patientId"])
        prefetch = request.get("prefetch") or {}
        patient = prefetch.get("patient") or fhir_data.get("Patient") or {}
        self.words.update(_patient_words(patient))
        for key, bundle_key in (("observations", "Observation"), ("conditions", "Condition")):
            bundle = prefetch.get(key) or fhir_data.get(bundle_key) or {}
            for entry in bundle.get("entry", []):
                self.words.update(_recorded_values(entry["resource"]))

    def found_in(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        found = [s for s in self.strings if s in text]
        return found + [
            w for w in self.words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)
        ]


def _patient_words(patient: dict[str, Any]) -> set[str]:
    words = {patient.get("id", ""), patient.get("birthDate", "")}
    for name in patient.get("name", []):
        words.update([name.get("family", ""), *name.get("given", [])])
    return {w for w in words if w}


def _recorded_values(resource: dict[str, Any]) -> set[str]:
    """The resource's id and the codes of what it records: a finding and its value."""
    words = {resource.get("id", "")}
    for element in ("code", "valueCodeableConcept"):
        words.update(c.get("code", "") for c in resource.get(element, {}).get("coding", []))
    return {w for w in words if w}


class SilentHandler(WSGIRequestHandler):
    """The EHR's FHIR server is not ours: its request log is not part of the check."""

    def log_request(self, *_: Any) -> None:
        pass


@pytest.fixture
def serve() -> Iterator[Callable[..., str]]:
    """Run a WSGI app on a local port in a thread; returns its base URL."""
    servers: list[BaseWSGIServer] = []

    def start(wsgi_app: Any, *, ours: bool = True) -> str:
        handler = None if ours else SilentHandler
        server = make_server("127.0.0.1", 0, wsgi_app, threaded=True, request_handler=handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}"

    yield start
    for server in servers:
        server.shutdown()


def fhir_server(data: dict[str, Any], token: str) -> Any:
    """A FHIR server holding one vignette's ``fhirServerData``; it demands the token."""

    @Request.application
    def answer(request: Request) -> Response:
        if request.headers.get("Authorization") != f"Bearer {token}":
            return Response(status=401)
        resource_type = request.path.rstrip("/").split("/")[-2:]
        body = data["Patient"] if resource_type[0] == "Patient" else data[resource_type[-1]]
        return Response(json.dumps(body), content_type="application/fhir+json")

    return answer


# Where the EHR believes the service is (a proxy in front of it): the JWT aud names it.
PUBLIC_BASE_URL = "https://cds.example.org"


@dataclass
class Caller:
    """An EHR calling the service with a fresh JWT each time, as the sandbox does."""

    base_url: str
    key: SigningKey
    clock: FakeClock
    minted: list[str] = field(default_factory=list)

    def post(self, path: str, body: Any, token: str | None = None) -> requests.Response:
        url = f"{self.base_url}{path}"
        token = token or self._token(f"{PUBLIC_BASE_URL}{path}")
        headers = {"Authorization": f"Bearer {token}"}
        return requests.post(url, json=body, headers=headers, timeout=30)

    def _token(self, audience: str) -> str:
        now = int(self.clock().timestamp())
        claims = {"iss": ISSUER, "aud": audience, "iat": now, "exp": now + 300}
        header = {"kid": self.key.kid, "jku": JWKS_URL}
        token = jwt.encode(
            {**claims, "jti": str(uuid.uuid4())}, self.key.private, "ES384", headers=header
        )
        self.minted.append(token)
        return token


def test_a_full_vignette_run_logs_no_patient_data_and_no_token(
    all_logs: KeepEverything, serve: Callable[..., str], tmp_path: Path
) -> None:
    key, clock, secrets = es384_key(), FakeClock(FIXED_NOW), Secrets()
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'logs.sqlite3'}",
        trusted_issuers={ISSUER: JWKS_URL},
        public_base_url=PUBLIC_BASE_URL,
        allow_http_fhir=True,
        patient_hash_salt="s",
    )
    app = create_app(settings, clock=clock)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add_passthru("http://127.0.0.1")
        rsps.get(JWKS_URL, json={"keys": [key.jwk]})
        caller = Caller(serve(app), key, clock)
        for vignette in vignettes():
            run_vignette(caller, vignette, serve, secrets)
        refused = "not-a-jwt-" + uuid.uuid4().hex
        assert caller.post("/cds-services/x", {}, token=refused).status_code == 401
    store_of(app).close()

    secrets.strings.update([refused, *caller.minted, *(t.split(".")[-1] for t in caller.minted)])
    assert len(all_logs.lines) > len(vignettes())  # the run was logged: requests at least
    assert len(secrets.words) > 3 * len(vignettes())  # ids, names, birth dates, findings
    leaked = secrets.found_in(all_logs.lines)
    assert leaked == [], [line for line in all_logs.lines if any(s in line for s in leaked)][:5]


def run_vignette(
    caller: Caller, vignette: dict[str, Any], serve: Callable[..., str], secrets: Secrets
) -> None:
    request = json.loads(json.dumps(vignette["request"]))
    fhir_data = vignette.get("fhirServerData", {})
    caller.clock.now = datetime.fromisoformat(vignette["evaluatedAt"])
    if fhir_data:
        token = request["fhirAuthorization"]["access_token"]
        request["fhirServer"] = serve(fhir_server(fhir_data, token), ours=False) + "/fhir/r4"
        secrets.strings.add(token)
    secrets.add_patient_data(request, fhir_data)
    path = f"/cds-services/{vignette['service']}"

    answer = caller.post(path, request)

    assert answer.status_code == 200, answer.text
    for card in answer.json()["cards"][:1]:
        feedback = {
            "card": card["uuid"],
            "outcome": "overridden",
            "overrideReason": {"userComment": f"spoke with {request['context']['patientId']}"},
            "outcomeTimestamp": vignette["evaluatedAt"],
        }
        assert caller.post(f"{path}/feedback", {"feedback": [feedback]}).status_code == 200
    broken = {**request, "context": {**request["context"], "patientId": ["not", "a", "string"]}}
    assert caller.post(path, broken).status_code == 400
