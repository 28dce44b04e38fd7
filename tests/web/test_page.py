"""The local page end to end, in a real headless Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from project_paths import EXAMPLES, ROOT
from server import running_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = ROOT / "test-artifacts"
SEED_CODE = (EXAMPLES / "seed.py").read_text().split('if __name__')[0] + "model.summary()\n"
BROKEN_CODE = "from keras import layers\n\nx = layers.Dense(3\ny = 2\n"


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="drives the browser")
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (`make test` installs it)")
    with running_server() as url, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        tab = browser.new_page(viewport={"width": 1100, "height": 900})
        tab.base_url = url  # type: ignore[attr-defined]
        yield tab
        browser.close()


def _open(page: Any) -> None:
    page.goto(page.base_url + "/")


def _working(page: Any, value: str) -> str:
    number = page.locator(f'details.num[data-value="{value}"]').first
    assert not number.evaluate("d => d.open")
    number.locator("summary").click()
    assert number.evaluate("d => d.open")
    text: str = number.locator(".work").inner_text()
    return text


def test_upload_keras_archive_sends_only_its_config(page: Any) -> None:
    """The 38 MB archive: the page extracts config.json in the browser (under the limit)."""
    _open(page)
    page.set_input_files("#file", str(EXAMPLES / "seed.keras"))
    with page.expect_navigation():
        page.click("#submit")
    assert "9,494,561" in page.inner_text("#result")
    assert "448" in _working(page, "448")


def test_paste_seed_code_and_read_the_working(page: Any) -> None:
    _open(page)
    page.fill("#code", SEED_CODE)
    with page.expect_navigation():
        page.click("#submit")
    result = page.inner_text("#result")
    assert "(None, 148, 148, 16)" in result and "448" in result
    work = _working(page, "448")
    assert "kernel 3×3 × 3 in-channels × 16 filters, + 16 biases" in work
    assert "kernel height" in work
    shape_work = _working(page, "148")
    assert "input height" in shape_work and "padding='valid', strides=1" in shape_work
    # The layer graph: every shape label drawn whole inside the diagram.
    overflow = page.evaluate(
        """() => { const svg = document.querySelector('svg.graph');
                  const w = svg.viewBox.baseVal.width;
                  return [...svg.querySelectorAll('text')]
                    .filter(t => t.getBBox().x + t.getBBox().width > w)
                    .map(t => t.textContent); }"""
    )
    assert overflow == []
    assert "(None, 148, 148, 16)" in page.text_content("svg.graph")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "page-seed.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.screenshot(path=str(SHOTS / "page-seed-phone.png"), full_page=False)
    page.set_viewport_size({"width": 1100, "height": 900})


def test_broken_code_shows_error_at_its_line(page: Any) -> None:
    _open(page)
    page.fill("#code", BROKEN_CODE)
    with page.expect_navigation():
        page.click("#submit")
    error = page.inner_text("#error")
    assert "<pasted code>:3" in error
    bad = page.inner_text("#error-line")
    assert bad.strip().startswith("3") and "layers.Dense(3" in bad
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "page-error.png"), full_page=True)


def test_nothing_pasted_is_a_clear_error(page: Any) -> None:
    _open(page)
    with page.expect_navigation():
        page.click("#submit")
    assert "nothing to summarize" in page.inner_text("#error")


def test_oversized_request_is_refused(tmp_path: Path) -> None:
    httpx = pytest.importorskip("httpx")
    with running_server() as url:
        big = b"x" * (3 * 1024 * 1024)
        r = httpx.post(url + "/", files={"file": ("big.json", big)}, timeout=30)
        assert r.status_code == 413
        assert "limit" in r.text
