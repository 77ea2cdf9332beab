"""Metrics and request logs wired into the app: every answer counted by route, the build named."""

from __future__ import annotations

from importlib.metadata import version

from flask.testing import FlaskClient

from cds_service.runtime import runtime

from .scrape import scrape, value

DIFFERENTIAL = "/cds-services/gluteal-pain-differential"


def test_build_info_names_the_version_and_the_knowledge_base(client: FlaskClient) -> None:
    kb = runtime(client.application).knowledge_base
    assert kb is not None
    text = scrape(client)

    labels = {"version": version("gluteal-cds"), "knowledge_version": kb.version}
    assert value(text, "gluteal_cds_build_info", **labels) == 1


def test_every_error_status_is_counted_on_every_route(client: FlaskClient) -> None:
    client.get("/no/such/page")
    client.post("/cds-services")  # discovery is GET only
    client.post(f"{DIFFERENTIAL}/feedback", data=b"{", content_type="application/json")
    client.get("/knowledge/no-such-condition")

    text = scrape(client)

    total = "gluteal_cds_http_responses_total"
    assert value(text, total, route="unmatched", method="GET", status="404") == 1
    assert value(text, total, route="unmatched", method="POST", status="405") == 1
    assert value(text, total, route="/cds-services/<service_id>/feedback", status="400") == 1
    assert value(text, total, route="/knowledge/<code>", status="404") == 1
