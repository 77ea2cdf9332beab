"""Issue 24: the browser suites skipped silently when chromium-driver was missing. In CI
they must run: the ``browser`` fixture fails there instead, and ``.ci/run`` installs the
browser and its driver and says it is CI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import browser as browser_module
from tests.support.paths import ROOT


def _missing_driver(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(browser_module, "CHROMEDRIVER", tmp_path / "no-chromedriver")


def _fixture_body(tmp_path: Path) -> None:
    fixture = browser_module.browser.__wrapped__  # type: ignore[attr-defined]
    next(fixture(tmp_path))


@pytest.mark.parametrize("value", ["true", "1", "yes"])
def test_in_ci_a_missing_driver_fails_the_browser_tests(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str
) -> None:
    _missing_driver(monkeypatch, tmp_path)
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception, match="CI must run this test"):
        _fixture_body(tmp_path)


@pytest.mark.parametrize("value", [None, "false", "0"])
def test_on_a_developers_machine_a_missing_driver_skips(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str | None
) -> None:
    _missing_driver(monkeypatch, tmp_path)
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.skip.Exception):
        _fixture_body(tmp_path)


def test_ci_installs_chromium_and_its_driver_and_runs_as_ci() -> None:
    script = (ROOT / ".ci" / "run").read_text()
    assert "need_apt+=(chromium)" in script
    assert "need_apt+=(chromium-driver)" in script
    assert 'export CI="${CI:-true}"' in script
    assert script.index("export CI=") < script.index("make test")
