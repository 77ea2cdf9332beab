"""The patient banner: shown with name, birth date and gender when the launch asks for it."""

from __future__ import annotations

import responses

from cds_service.app import create_app
from cds_service.settings import Settings
from tests.support.smart_launch import (
    HTTPS,
    configured,
    register_ehr,
    sign_in,
)


def test_the_patient_banner_shows_when_the_launch_asks(
    settings: Settings,
) -> None:
    for asked in (True, False):
        client = create_app(configured(settings)).test_client()
        with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
            register_ehr(
                mock, {"access_token": "a", "patient": "p-1", "need_patient_banner": asked}
            )
            sign_in(client)
            page = client.get("/smart/app", base_url=HTTPS).get_data(as_text=True)
        assert ('id="patient-banner"' in page) is asked
        if asked:
            banner = page.split('id="patient-banner"')[1].split("</section>")[0]
            assert "Alex Runner" in banner
            assert "1990-04-02" in banner
            assert "female" in banner
