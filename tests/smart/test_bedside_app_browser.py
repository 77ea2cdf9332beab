"""End to end, offline: hook -> card's SMART link -> EHR launch -> answers -> save -> hook.

A real FHIR server (sekmet-fhir) sits behind a real OAuth 2 authorisation server doing the
SMART EHR launch (Authlib's, :mod:`tests.smart.ehr`); the clinician is a headless Chromium.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

from cds_service.app import create_app
from cds_service.settings import Settings
from tests.smart.ehr import Client, LocalEhr, running
from tests.support.fhir_server import free_port, put_resource

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PATIENT = "smart-runner-1"
CLIENT_ID = "gluteal-cds-bedside"
QUESTIONNAIRE = "https://gluteal-cds.org/fhir/Questionnaire/finding-capture"
# Set to a path to keep the screenshot (the README's docs/smart-app.png is made this way).
SCREENSHOT_ENV = "SMART_APP_SCREENSHOT"


@pytest.fixture
def patient_on_server(fhir_server: str) -> str:
    """A runner whose record holds only the complaint: buttock pain, recorded today."""
    put_resource(
        fhir_server,
        {
            "resourceType": "Patient",
            "id": PATIENT,
            "name": [{"given": ["Alex"], "family": "Runner"}],
            "gender": "male",
            "birthDate": "1990-04-02",
        },
    )
    put_resource(
        fhir_server,
        {
            "resourceType": "Observation",
            "id": f"{PATIENT}-buttock-pain",
            "status": "final",
            "code": {"coding": [{"system": "http://snomed.info/sct", "code": "279043006"}]},
            "subject": {"reference": f"Patient/{PATIENT}"},
            "effectiveDateTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        },
    )
    return PATIENT


@pytest.fixture
def service(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The CDS service with the bedside app on, served at http://localhost:<port>."""
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # plain http on loopback only
    port = free_port()
    base = f"http://localhost:{port}"  # a secure context: Chromium keeps Secure cookies
    app = create_app(
        dataclasses.replace(
            settings, allow_http_fhir=True, smart_client_id=CLIENT_ID, public_base_url=base
        )
    )
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture
def ehr(fhir_server: str, service: str) -> Iterator[LocalEhr]:
    """The EHR: its authorisation server, and its FHIR server behind it."""
    client = Client(CLIENT_ID, f"{service}/smart/callback")
    with running(LocalEhr(fhir_server, client)) as started:
        yield started


def _hook(service: str, ehr: LocalEhr) -> dict[str, Any]:
    body = {
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "hook": "patient-view",
        "fhirServer": ehr.fhir_base,
        "fhirAuthorization": {
            "access_token": ehr.token_for_cds(),
            "token_type": "Bearer",
            "expires_in": 300,
            "scope": "patient/Patient.rs patient/Observation.rs",
            "subject": "gluteal-cds",
        },
        "context": {"userId": "Practitioner/dr-who", "patientId": PATIENT},
    }
    response = requests.post(
        f"{service}/cds-services/gluteal-pain-differential", json=body, timeout=30
    )
    assert response.status_code == 200, response.text[:500]
    answer: dict[str, Any] = response.json()
    return answer


def _differential_card(answer: dict[str, Any]) -> dict[str, Any]:
    return next(c for c in answer["cards"] if c["source"]["topic"]["code"] == "differential")


def _conditions(card: dict[str, Any]) -> list[dict[str, Any]]:
    conditions: list[dict[str, Any]] = card["extension"][
        "https://gluteal-cds.org/cds-hooks/differential"
    ]["conditions"]
    return conditions


def _answer(browser: WebDriver, code: str, state: str) -> None:
    """Click the answer's word, as a clinician does, opening "More questions" if need be."""
    more = browser.find_element(By.ID, "more-questions")
    if more.find_elements(By.ID, f"q-{code}-{state}") and not more.get_attribute("open"):
        more.find_element(By.TAG_NAME, "summary").click()
    label = browser.find_element(By.ID, f"q-{code}-{state}").find_element(By.XPATH, "..")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", label)
    label.click()
    assert browser.find_element(By.ID, f"q-{code}-{state}").is_selected()


@pytest.mark.usefixtures("patient_on_server")
def test_card_to_saved_answers_to_changed_cards(
    ehr: LocalEhr,
    service: str,
    browser: WebDriver,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="cds_service")
    before = _differential_card(_hook(service, ehr))
    link = next(link for link in before["links"] if link["type"] == "smart")
    assert link["url"] == f"{service}/smart/launch"
    assert before["summary"].startswith("Only the complaint is recorded")
    assert not any(c["status"] == "likely" for c in _conditions(before))

    # The EHR launches the app: it adds iss and launch to the link's URL.
    started = time.monotonic()
    launch_id = ehr.launch(PATIENT, app_context=link["appContext"])
    launch = urlencode({"iss": ehr.fhir_base, "launch": launch_id})
    browser.get(f"{link['url']}?{launch}")
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.ID, "first-questions"))
    authorize = ehr.authorize_requests[-1]
    assert authorize["code_challenge_method"] == "S256"
    assert "patient/QuestionnaireResponse.c" in authorize["scope"].split()
    assert "Alex Runner" in browser.find_element(By.TAG_NAME, "h1").text
    asked = [
        e.get_attribute("data-finding")
        for e in browser.find_elements(By.CSS_SELECTOR, "#first-questions .finding")
    ]
    assert "saddle-numbness" in asked  # red flags are always asked
    assert browser.find_element(By.ID, "q-buttock-pain-present").is_selected()  # pre-filled

    for code in ("pain-radiates-below-knee", "straight-leg-raise-positive", "leg-numbness"):
        _answer(browser, code, "present")
    _answer(browser, "pain-worse-sitting", "absent")
    browser.find_element(By.ID, "save").click()
    WebDriverWait(browser, 20).until(lambda d: d.find_elements(By.ID, "save-message"))
    elapsed = time.monotonic() - started
    message = browser.find_element(By.ID, "save-message").text
    assert message.startswith("Saved 4 answers"), message
    first = browser.find_element(By.CSS_SELECTOR, ".chart li:first-child")
    assert first.get_attribute("data-condition") == "lumbar-disc-sciatica"
    browser.execute_script("window.scrollTo(0, 0)")
    screenshot = Path(os.environ.get(SCREENSHOT_ENV) or tmp_path / "smart-app.png")
    assert browser.save_screenshot(str(screenshot))

    _assert_written(ehr)

    # The next hook call, without prefetch, reads the answers.
    after = _differential_card(_hook(service, ehr))
    conditions = _conditions(after)
    assert conditions[0]["code"] == "lumbar-disc-sciatica"
    assert conditions[0]["status"] == "likely"
    assert after["summary"] != before["summary"]
    _assert_nothing_secret_logged(caplog, ehr)
    print(f"card to saved answers in the browser: {elapsed:.1f} s")


def _assert_written(ehr: LocalEhr) -> None:
    """On the FHIR server: the response, and one Observation per answer derived from it."""
    fhir = ehr.fhir_upstream
    observations = requests.get(f"{fhir}/Observation", params={"patient": PATIENT}, timeout=10)
    derived = [
        e["resource"]
        for e in observations.json().get("entry", [])
        if e["resource"].get("derivedFrom")
    ]
    assert {o["valueBoolean"] for o in derived} == {True, False}
    assert len(derived) == 4
    (source,) = {o["derivedFrom"][0]["reference"] for o in derived}
    response = requests.get(f"{fhir}/{source}", timeout=10).json()
    assert response["resourceType"] == "QuestionnaireResponse"
    assert response["status"] == "completed"
    assert response["questionnaire"] == QUESTIONNAIRE
    assert response["subject"] == {"reference": f"Patient/{PATIENT}"}
    assert response["author"] == {"reference": "Practitioner/dr-who"}
    answered = {
        i["linkId"]: i["answer"][0]["valueCoding"]["code"]
        for g in response["item"]
        for i in g["item"]
    }
    assert answered == {
        "pain-radiates-below-knee": "373066001",
        "straight-leg-raise-positive": "373066001",
        "leg-numbness": "373066001",
        "pain-worse-sitting": "373067005",
    }  # only what was answered: the questions left unknown are not written


def _assert_nothing_secret_logged(caplog: pytest.LogCaptureFixture, ehr: LocalEhr) -> None:
    """Neither a token nor the patient's data reached the service's logs."""
    logged = "\n".join(
        f"{r.getMessage()} {getattr(r, 'fields', '')}"
        for r in caplog.records
        if r.name.startswith("cds_service")
    )
    assert logged
    for secret in (*ehr.tokens, "Alex", "Runner", PATIENT):
        assert secret not in logged
