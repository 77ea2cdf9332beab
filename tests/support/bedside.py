"""The bedside app served as production serves it: ``gluteal-cds serve`` with 2 workers, a
test EHR (:mod:`tests.smart.ehr`) in front of sekmet-fhir, and helpers for the browser."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from tests.smart.ehr import Client, LocalEhr, running
from tests.support.fhir_server import put_resource
from tests.support.paths import ROOT
from tests.support.serving import free_port, wait_until_up

__all__ = [
    "CLIENT_ID",
    "Served",
    "answer",
    "launch_in",
    "page_width",
    "put_runner",
    "serve_bedside_app",
]

CLIENT_ID = "gluteal-cds-bedside"


@dataclass(frozen=True)
class Served:
    """The service's base URL, the EHR, and the service's log file."""

    base: str
    ehr: LocalEhr
    log: Path


@contextlib.contextmanager
def serve_bedside_app(fhir_server: str, tmp_path: Path, workers: int = 2) -> Iterator[Served]:
    """``gluteal-cds serve --workers 2`` with the app on, launched by a test EHR."""
    port = free_port()
    base = f"http://localhost:{port}"  # a secure context: Chromium keeps Secure cookies
    ehr = LocalEhr(fhir_server, Client(CLIENT_ID, f"{base}/smart/callback"))
    with running(ehr):
        env = os.environ | {
            "GLUTEAL_CDS_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "GLUTEAL_CDS_ALLOW_HTTP_FHIR": "1",  # loopback EHR: local testing only
            "GLUTEAL_CDS_SMART_CLIENT_ID": CLIENT_ID,
            "GLUTEAL_CDS_SMART_ISSUERS": ehr.fhir_base,
            "GLUTEAL_CDS_PUBLIC_BASE_URL": base,
            "GLUTEAL_CDS_LOG_LEVEL": "DEBUG",  # the logs must stay clean even at DEBUG
            "AUTHLIB_INSECURE_TRANSPORT": "1",
        }
        argv = [sys.executable, "-m", "cds_service.cli", "serve", "--port", str(port)]
        log = tmp_path / "server.log"
        with log.open("wb") as output:
            server = subprocess.Popen(  # noqa: S603 - our own command line
                [*argv, "--workers", str(workers)],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=output,
            )
            try:
                wait_until_up(f"http://127.0.0.1:{port}", server)
                yield Served(base, ehr, log)
            finally:
                server.send_signal(signal.SIGTERM)
                server.wait(timeout=30)


def put_runner(fhir_server: str, patient: str, name: tuple[str, str] = ("Alex", "Runner")) -> None:
    """A runner whose record holds only the complaint: buttock pain, recorded today."""
    put_resource(
        fhir_server,
        {
            "resourceType": "Patient",
            "id": patient,
            "name": [{"given": [name[0]], "family": name[1]}],
            "gender": "male",
            "birthDate": "1990-04-02",
        },
    )
    put_resource(
        fhir_server,
        {
            "resourceType": "Observation",
            "id": f"{patient}-buttock-pain",
            "status": "final",
            "code": {"coding": [{"system": "http://snomed.info/sct", "code": "279043006"}]},
            "subject": {"reference": f"Patient/{patient}"},
            "effectiveDateTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        },
    )


def launch_in(
    browser: WebDriver, served: Served, patient: str, app_context: str | None = None
) -> None:
    """The EHR launches the app for ``patient``; wait for the questions."""
    launch_id = served.ehr.launch(patient, app_context=app_context)
    query = urlencode({"iss": served.ehr.fhir_base, "launch": launch_id})
    browser.get(f"{served.base}/smart/launch?{query}")
    WebDriverWait(browser, 20).until(
        lambda d: (
            d.find_elements(By.ID, "first-questions")
            or d.find_elements(By.CLASS_NAME, "error-status")
        )
    )


def answer(browser: WebDriver, code: str, state: str) -> None:
    """Click the answer's word, as a clinician does, opening "More questions" if need be."""
    more = browser.find_element(By.ID, "more-questions")
    if more.find_elements(By.ID, f"q-{code}-{state}") and not more.get_attribute("open"):
        more.find_element(By.TAG_NAME, "summary").click()
    label = browser.find_element(By.ID, f"q-{code}-{state}").find_element(By.XPATH, "..")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", label)
    label.click()
    assert browser.find_element(By.ID, f"q-{code}-{state}").is_selected()


def page_width(browser: WebDriver) -> tuple[int, int]:
    """(the page's scroll width, the viewport's width): wider means sideways scrolling."""
    widths = browser.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    return int(widths[0]), int(widths[1])
