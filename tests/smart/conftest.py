"""The bedside app's tests share the end-to-end fixtures of the root conftest: the
sekmet-fhir server (``fhir_server``) and Chromium (``browser``)."""
