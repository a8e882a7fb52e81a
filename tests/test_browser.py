"""TensorBoard checked in a real browser: headless Chromium shows a run's scalars and sample grid.

Needs Debian's `chromium` and `chromium-driver` and the `selenium` package (`make install-browser`);
skips with that reason where they are absent. Slow (`make test-slow`). The screenshot is saved in
the test's temporary directory as `tensorboard.png`.
"""

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import numpy as np
import pytest
import tensorflow as tf

from keras_gan import cli

TAGS = ("d_loss", "g_loss", "learning_rate/g_optimizer", "speed/steps_per_second")


def _browser():
    try:
        from selenium import webdriver  # noqa: F401
    except ImportError:
        pytest.skip("selenium is not installed: run `make install-browser`")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.skip(
            "Chromium and chromedriver are not installed: run `make install-browser` (Debian's "
            "chromium and chromium-driver)"
        )
    return chromium, driver


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return json.loads(response.read())
        except OSError:
            time.sleep(1)
    raise TimeoutError(url)


@pytest.mark.slow  # ~40 s: training, TensorBoard and Chromium start-up
def test_tensorboard_shows_scalars_and_samples_in_chromium(tmp_path):
    chromium, driver_path = _browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    run_dir = tmp_path / "run"
    assert (
        cli.main(
            ["train", "dcgan-digits", "--steps", "20", "--out", str(run_dir), "--batch-size", "8"]
        )
        == 0
    )
    # The run's PNGs, read back: the size of a readable grid, and not blank.
    grid = tf.io.decode_png(tf.io.read_file(str(run_dir / "samples" / "step_0000020.png"))).numpy()
    assert grid.shape[1] >= 512 and grid.std() > 0

    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tensorboard.main",
            "--logdir",
            str(run_dir / "tensorboard"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1400,4000",
    ):
        options.add_argument(flag)
    browser = None
    try:
        _wait_for(f"http://127.0.0.1:{port}/data/plugin/scalars/tags")
        browser = webdriver.Chrome(service=Service(driver_path), options=options)
        browser.get(f"http://127.0.0.1:{port}/#timeseries")
        wait = WebDriverWait(browser, 90)
        tag_filter = wait.until(
            lambda b: b.find_element("css selector", "input[placeholder^='Filter tags']")
        )

        def cards_for(tag):
            """Types `tag` into the time-series tag filter; returns how often it is then on the
            page."""
            tag_filter.clear()
            tag_filter.send_keys(tag)
            time.sleep(0.5)
            # elements whose own text is exactly the tag (card titles)
            return browser.execute_script(
                "return Array.from(document.querySelectorAll('*')).filter(e => e.children.length "
                "=== 0 && e.tagName !== 'INPUT' && e.textContent.trim() === arguments[0]).length",
                tag,
            )

        # Each expected scalar tag has its card (the control shows a missing tag would be caught).
        for tag in TAGS:
            assert wait.until(lambda b: cards_for(tag) or None), tag
        assert cards_for("no_such_tag") == 0
        tag_filter.clear()
        # And the sample grid, as an image the browser has loaded.
        browser.get(f"http://127.0.0.1:{port}/#images")
        # TensorBoard's image cards live in shadow DOMs: search through them.
        loaded = (
            "const all = r => Array.from(r.querySelectorAll('*')).flatMap(e => [e, "
            "...(e.shadowRoot ? all(e.shadowRoot) : [])]);return all(document).filter(e => "
            "e.tagName === 'IMG' && e.src.includes('individualImage') && e.complete && "
            "e.naturalWidth > 0).map(e => e.naturalWidth)"
        )
        widths = wait.until(lambda b: b.execute_script(loaded) or None)
        assert max(widths) >= 512
        shot = str(tmp_path / "tensorboard.png")
        assert browser.save_screenshot(shot)
        picture = tf.io.decode_png(tf.io.read_file(shot)).numpy()
        assert picture.shape[0] > 500 and np.std(picture) > 0
    finally:
        if browser is not None:
            browser.quit()
        server.terminate()
        server.wait(timeout=30)
