"""Browser tests: Debian's headless Chromium driven by Playwright's sync API against `live_server`.

Every test here is marked `browser`. Playwright never downloads a browser: it launches
/usr/bin/chromium (`make test` installs it with apt-get when it is missing). Screenshots of each
step go to tests/browser/artifacts/<test>/ (gitignored; CI keeps them as artefacts).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = HERE / "artifacts"
AXE = HERE / "vendor" / "axe.min.js"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TIMEOUT_MS = 15_000


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: runs in headless Chromium against the live server")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium per test module. Playwright's sync API runs an event loop in this thread, so
    Django's guard against ORM calls from async code is lifted for the browser tests only."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing: `make test` installs Debian's chromium (apt-get)")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _context(browser: Any, live_server: Any, **options: Any) -> Any:
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 1280, "height": 900},
        **options,
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def new_page(
    browser: Any, live_server: Any, transactional_db: Any, artifacts: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Any]]:
    """Opens pages in fresh browser contexts (one per user); a failing test leaves a screenshot of each."""
    contexts: list[Any] = []

    def open_page(**options: Any) -> Any:
        context = _context(browser, live_server, **options)
        contexts.append(context)
        return context.new_page()

    yield open_page
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for number, context in enumerate(contexts, start=1):
        if failed:
            for page in context.pages:
                page.screenshot(path=str(artifacts / f"failure-{number}.png"), full_page=True)
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    return new_page()


@pytest.fixture
def shot(artifacts: Path) -> Callable[[Any, str], None]:
    """shot(page, "step-name"): a numbered full-page screenshot in the test's artefact folder."""
    counter = iter(range(1, 1000))

    def take(page: Any, name: str) -> None:
        page.screenshot(path=str(artifacts / f"{next(counter):02d}-{name}.png"), full_page=True)

    return take


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
