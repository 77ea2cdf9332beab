"""Fixtures of the bedside app's tests: the sekmet-fhir server and Chromium of the other
end-to-end tests, shared rather than repeated."""

from tests.pages.test_browser import browser
from tests.service.test_fhir_server_integration import fhir_server

__all__ = ["browser", "fhir_server"]
