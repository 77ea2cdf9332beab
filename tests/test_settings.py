"""The settings: described with their secrets hidden, each documented in the README."""

from __future__ import annotations

import re

from cds_service.settings import Settings
from tests.support.paths import ROOT

README = ROOT / "README.md"


def test_described_settings_hide_the_password_and_the_salt() -> None:
    settings = Settings(
        database_url="postgresql://cds:hunter2@db.example:5432/cds", patient_hash_salt="pepper"
    )

    described = dict(settings.described())

    assert described["GLUTEAL_CDS_DATABASE_URL"] == "postgresql://cds:***@db.example:5432/cds"
    assert described["GLUTEAL_CDS_PATIENT_HASH_SALT"] == "(set, hidden)"
    assert "hunter2" not in str(described)
    assert "pepper" not in str(described)


def test_the_readme_documents_every_variable_and_no_other() -> None:
    section = README.read_text(encoding="utf-8").split("## Configuration", 1)[1]
    table = section.split("\n#", 1)[0]
    documented = set(re.findall(r"^\| `(GLUTEAL_CDS_[A-Z_]+)`", table, flags=re.MULTILINE))

    assert documented == {name for name, _ in Settings().described()}
