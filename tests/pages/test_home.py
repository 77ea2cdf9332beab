"""``GET /``: a newcomer sees what the service is for and where to go next."""

from __future__ import annotations

from flask.testing import FlaskClient

from cds_service.hooks.services import SERVICES
from differential import load_knowledge_base


def test_front_page_lists_every_service_with_its_hook(client: FlaskClient) -> None:
    response = client.get("/")

    assert response.status_code == 200
    assert response.content_type.startswith("text/html")
    page = response.get_data(as_text=True)
    for service in SERVICES.values():
        assert service.id in page
        assert f"<code>{service.hook}</code>" in page


def test_front_page_shows_the_knowledge_version_and_links_onwards(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)

    assert f'class="kb-version">{load_knowledge_base().version}<' in page
    for target in ('href="/knowledge"', 'href="/try"', 'href="/cds-services"'):
        assert target in page


def test_every_link_on_the_front_page_answers(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    for target in ("/knowledge", "/try", "/cds-services", "/static/pages.css"):
        assert target in page
        response = client.get(target)
        response.close()  # the stylesheet is streamed from a file
        assert response.status_code == 200


def test_the_favicon_is_served_not_a_404(client: FlaskClient) -> None:
    response = client.get("/favicon.ico")
    body = response.get_data(as_text=True)
    response.close()

    assert response.status_code == 200
    assert response.content_type.startswith("image/svg+xml")
    assert body.lstrip().startswith("<svg")
    linked = client.get("/").get_data(as_text=True)
    assert 'rel="icon"' in linked
    assert "/static/favicon.svg" in linked
