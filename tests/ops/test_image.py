"""The image's build and run lines (issue 26): one build script for `make image` and CI, a
CA bundle for pip, and a volume for the SQLite store that the README's run lines mount."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from cds_service.settings import default_database_url
from tests.support.paths import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def _make_image(*variables: str) -> str:
    result = subprocess.run(  # noqa: S603 - fixed arguments
        ["make", "--dry-run", "image", "CONTAINER_TOOL=podman", *variables],  # noqa: S607
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return " ".join(result.stdout.replace("\\\n", " ").split())


def test_make_image_and_ci_build_with_the_same_script() -> None:
    assert "bash .ci/build-image gluteal-cds:" in _make_image()
    assert ".ci/build-image" in (ROOT / ".ci" / "image-test").read_text(encoding="utf-8")


def test_make_image_passes_base_and_ca_bundle_only_when_given() -> None:
    plain = _make_image()
    given = _make_image("BASE=debian-python:3.11", "CA_BUNDLE=/etc/proxy-ca.pem")
    none = _make_image("CA_BUNDLE=")

    assert "BASE=" not in plain
    assert "CA_BUNDLE" not in plain  # the script's default: the host's bundle
    assert "BASE=debian-python:3.11" in given
    assert "CA_BUNDLE=/etc/proxy-ca.pem" in given
    assert "CA_BUNDLE= " in none


def test_the_store_lives_on_a_volume_the_readme_run_lines_mount() -> None:
    workdir = re.findall(r"^WORKDIR (\S+)", DOCKERFILE, flags=re.MULTILINE)[-1]
    volume = re.search(r"^VOLUME (\S+)", DOCKERFILE, flags=re.MULTILINE)
    # The service's default store, as it runs in the image's working directory.
    relative = Path(default_database_url().removeprefix("sqlite:///")).relative_to(Path.cwd())
    store = f"{workdir}/{relative}"

    assert volume is not None
    assert store.startswith(volume.group(1) + "/")
    run_lines = [line for line in README.splitlines() if re.match(r"(docker|podman) run", line)]
    assert {line.split()[0] for line in run_lines} == {"docker", "podman"}
    assert all(f":{volume.group(1)}" in line for line in run_lines)
