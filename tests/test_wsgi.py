"""``cds_service.wsgi:app``, what gunicorn imports: a ready service, its note reader built."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support.paths import ROOT

# Run in a fresh interpreter: the module builds the app at import and tunes the collector.
_IMPORT_AS_GUNICORN_DOES = """
import json
from cds_service.wsgi import app
from fhir_mappings.notes import _nlp
client = app.test_client()
print(json.dumps({
    "healthz": client.get("/healthz").status_code,
    "readyz": client.get("/readyz").status_code,
    "readers_built": _nlp.pipeline.cache_info().currsize,
}))
"""


def test_the_entry_point_serves_a_ready_app_with_the_note_reader_built(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "GLUTEAL_CDS_DATABASE_URL": f"sqlite:///{tmp_path / 'feedback.sqlite3'}",
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", _IMPORT_AS_GUNICORN_DOES],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=True,
    )  # fmt: skip

    answer = json.loads(result.stdout.splitlines()[-1])
    assert answer["healthz"] == answer["readyz"] == 200
    # Built at import, once per worker: no hook call carrying a note waits ~2 s for it.
    assert answer["readers_built"] == 1
