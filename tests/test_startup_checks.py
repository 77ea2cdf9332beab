"""Start-up checks across settings (issue 26): one line per problem, naming its variable."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cds_service.settings import ConfigurationError, Settings
from cds_service.startup_checks import check_startup, startup_problems, startup_warnings


def test_a_sqlite_file_whose_directory_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    in_the_way = tmp_path / "not-a-directory"
    in_the_way.write_text("")
    settings = Settings(database_url=f"sqlite:///{in_the_way / 'cds.sqlite3'}")

    problems = startup_problems(settings)

    assert len(problems) == 1
    assert problems[0].startswith("GLUTEAL_CDS_DATABASE_URL: the SQLite file ")
    assert "\n" not in problems[0]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write a read-only directory")
def test_a_read_only_directory_is_refused(tmp_path: Path) -> None:
    tmp_path.chmod(0o500)
    try:
        problems = startup_problems(Settings(database_url=str(tmp_path / "cds.sqlite3")))
    finally:
        tmp_path.chmod(0o700)

    assert [p.split(":")[0] for p in problems] == ["GLUTEAL_CDS_DATABASE_URL"]


def test_a_writable_sqlite_directory_is_created_and_passes(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'new' / 'dir' / 'cds.sqlite3'}")

    assert startup_problems(settings) == []
    assert (tmp_path / "new" / "dir").is_dir()


def test_postgresql_needs_a_salt_also_when_spelt_postgres(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GLUTEAL_CDS_DATABASE_URL", "postgres://cds:pw@db.example/cds")
    settings = Settings.from_env()

    assert settings.database_url == "postgresql://cds:pw@db.example/cds"
    with pytest.raises(ConfigurationError, match=r"^GLUTEAL_CDS_PATIENT_HASH_SALT: "):
        check_startup(settings)


def test_a_broken_order_code_file_is_one_line(tmp_path: Path) -> None:
    codes = tmp_path / "codes.json"
    codes.write_text(json.dumps({"mri-hip-pelvis": {"code": "IMG1"}}))
    settings = Settings(database_url="sqlite://", ehr_order_codes_path=codes)

    problems = startup_problems(settings)

    assert problems == [f"GLUTEAL_CDS_EHR_ORDER_CODES: {codes}: mri-hip-pelvis needs a system "
                        "that is a URI (e.g. urn:oid:...)"]  # fmt: skip


def test_the_development_default_has_no_warning_and_a_shared_file_has_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    assert startup_warnings(Settings()) == []
    assert startup_warnings(Settings(patient_hash_salt="s", database_url="x.sqlite3")) == []
    warnings = startup_warnings(Settings(database_url=str(tmp_path / "elsewhere.sqlite3")))
    assert len(warnings) == 1
    assert warnings[0].startswith("GLUTEAL_CDS_PATIENT_HASH_SALT is empty")
