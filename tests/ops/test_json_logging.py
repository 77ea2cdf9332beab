"""Log records as production formats them: one JSON object or one readable text line each."""

from __future__ import annotations

import io
import logging

from flask.testing import FlaskClient

from cds_service.ops.json_logging import logging_config
from cds_service.ops.request_log import RequestIdFilter

DIFFERENTIAL = "/cds-services/gluteal-pain-differential"


def test_text_format_is_one_readable_line_per_record(client: FlaskClient) -> None:
    config = logging_config("INFO", "text")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(config["formatters"]["text"]["()"]())
    handler.addFilter(RequestIdFilter())
    logging.getLogger().addHandler(handler)
    try:
        client.post(DIFFERENTIAL, json={"hook": "patient-view"}, headers={"X-Request-ID": "r-1"})
    finally:
        logging.getLogger().removeHandler(handler)

    [line] = [row for row in stream.getvalue().splitlines() if "cds_service.requests" in row]
    assert " WARNING cds_service.requests [r-1] request method=POST " in line
    assert "status=400" in line
    assert not line.lstrip().startswith("{")
