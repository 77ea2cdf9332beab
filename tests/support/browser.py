"""A real headless Chromium for the end-to-end tests (system chromium and chromedriver).

The driver path is given explicitly, so selenium-manager never downloads a browser. Suites
get the ``browser`` fixture through the root conftest's ``pytest_plugins``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.webdriver import WebDriver

from tests.support.ci import skip_unless_ci

__all__ = ["CHROMEDRIVER", "CHROMIUM", "browser"]

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    """A headless Chromium with a throw-away profile."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        skip_unless_ci(
            "no /usr/bin/chromium or /usr/bin/chromedriver: apt-get install chromium-driver"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1440,2000",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()
