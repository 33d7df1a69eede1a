"""Acme Notes in Debian's headless Chromium: D-30 → lock → paste a renewal → unlocked, notes intact.

Selenium is handed /usr/bin/chromium and /usr/bin/chromedriver (or KEYTURN_CHROMIUM /
KEYTURN_CHROMEDRIVER) and never asks Selenium Manager (SE_OFFLINE=true). Without them the tests
skip with a message, except under CI=true, where they fail.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest

from conftest import App

CHROMIUM = Path(os.environ.get("KEYTURN_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("KEYTURN_CHROMEDRIVER", "/usr/bin/chromedriver"))
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,900",
)
WAIT = 30


@pytest.fixture
def browser() -> Iterator[object]:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if missing:
        message = (
            f"browser tests need {' and '.join(missing)}: run examples/appliance/install-browser.sh "
            "(apt-get install chromium chromium-driver)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    os.environ["SE_OFFLINE"] = "true"
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def ready(driver, url: str) -> None:
    """Opens a product page and waits until banner.js shows the latest standing."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    WebDriverWait(driver, WAIT).until(
        lambda d: d.find_element("css selector", "html").get_attribute("data-keyturn-state")
        == "ready"
    )


def test_d30_lock_paste_a_renewal_unlocked_with_data_intact(app: App, browser) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser
    wait = WebDriverWait(driver, WAIT)
    ready(driver, app.url + "/")
    driver.find_element(By.ID, "note-text").send_keys("Quarterly report: ship on Friday")
    driver.find_element(By.ID, "note-save").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "notes"), "Quarterly report"))

    driver.get(app.url + "/demo")
    driver.find_element(By.CSS_SELECTOR, "button[data-stage='D-30']").click()
    # The form posts, then the panel comes back: wait for it, not only for the click.
    wait.until(ec.text_to_be_present_in_element((By.ID, "demo-summary"), "expires in 30 days"))
    ready(driver, app.url + "/")
    banner = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, ".kt-banner")))
    assert "Your license expires in 30 days" in banner.text

    driver.get(app.url + "/demo")
    driver.find_element(By.CSS_SELECTOR, "button[data-stage='LOCK']").click()
    wait.until(ec.text_to_be_present_in_element((By.ID, "demo-mode"), "LOCKED"))
    driver.get(app.url + "/")
    assert driver.find_element(By.ID, "kt-title").text == "Acme Notes is locked"
    assert "Quarterly report" not in driver.page_source

    driver.get(app.url + "/demo")
    driver.find_element(By.CSS_SELECTOR, "button[name='kind'][value='renewal']").click()
    renewal = wait.until(ec.presence_of_element_located((By.ID, "demo-license"))).get_attribute(
        "value"
    )
    assert renewal.startswith("# Keyturn license for Demo Customer Inc.")

    driver.get(app.url + "/")
    driver.find_element(By.ID, "kt-license").send_keys(renewal)
    driver.find_element(By.CSS_SELECTOR, "#kt-install-form button[type='submit']").click()
    wait.until(ec.presence_of_element_located((By.ID, "notes")))
    assert "Quarterly report: ship on Friday" in driver.find_element(By.ID, "notes").text
    assert app.standing()["mode"] == "FULL"
