"""Browser tests: Debian's Chromium driven by Playwright's Python API (no browser is downloaded)."""

import json
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
# Playwright's sync API keeps an event loop running in this thread; the ORM calls of the test
# itself are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "e2e" in item.nodeid:
            item.add_marker(pytest.mark.browser)
    missing = [why for ok, why in [
        (os.path.exists(CHROMIUM), f"Chromium not found at {CHROMIUM} (apt-get install chromium)"),
        (AXE.exists(), "axe-core not installed (npm install)"),
    ] if not ok]
    if not missing:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError("browser tests cannot run: " + "; ".join(missing))
    skip = pytest.mark.skip(reason="browser tests skipped: " + "; ".join(missing))
    for item in items:
        if "e2e" in item.nodeid:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(width=1280, height=900, **options):
        context = browser.new_context(viewport={"width": width, "height": height}, **options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def e2e_settings(settings):
    """Settings for a live browser session: no minimum form time, no page cache surprises."""
    settings.COMMENTS_MIN_SECONDS = 0
    settings.DEBUG = False
    return settings


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Save the page (or with full_page=False only what the viewport shows) as test-artifacts/<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def serious_violations(page, *, target_size: bool = False) -> list[str]:
    """Run axe-core in the page; return its serious and critical violations.

    `target_size` adds axe's check of tap targets (WCAG 2.2, 2.5.8), which it leaves off by default.
    """
    page.add_script_tag(content=AXE.read_text())
    options = {"resultTypes": ["violations"], **({"rules": {"target-size": {"enabled": True}}} if target_size else {})}
    result = page.evaluate("async (options) => JSON.stringify(await axe.run(document, options))", options)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in json.loads(result)["violations"] if v["impact"] in ("serious", "critical")
    ]
