"""Reading the Prometheus text exposition in tests."""

from __future__ import annotations

from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families

# The scrape token of the tests' settings (GLUTEAL_CDS_METRICS_TOKEN) and its header.
METRICS_TOKEN = "metrics-token-of-the-tests"
SCRAPE_HEADERS = {"Authorization": f"Bearer {METRICS_TOKEN}"}


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of a scrape: (name, labels) -> value."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(text: str, name: str, **labels: str) -> float:
    """The sum of the samples called ``name`` whose labels include ``labels`` (0 if none)."""
    wanted = set(labels.items())
    return sum(v for (n, ls), v in samples(text).items() if n == name and wanted <= ls)


def scrape(client: FlaskClient) -> str:
    """The app's /metrics, scraped with the token; it must answer in the text format."""
    response = client.get("/metrics", headers=SCRAPE_HEADERS)
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain")
    return response.get_data(as_text=True)
