"""Browser fixtures: the built site served on 127.0.0.1, Chromium, and a watched page.

- ``site_url``: base URL (ending in ``/``) of the site built by ``built_site``
  (tests/conftest.py), or of ``$BACKPROPDOC_SITE_DIR`` when set, served by a local
  ``http.server`` thread on a free port.
- ``browser``: one headless Chromium per session, from ``/usr/bin/chromium`` (or
  ``$CHROMIUM``). Missing Chromium skips the test locally and fails it when ``$CI`` is set.
- ``fresh_python``: runs code copied from a page in a fresh Python process
  (``fresh_python.py``: forked from a process that has imported torch, so each page does
  not pay for the import).
- ``page``: a fresh context and page per test. ``page_log`` records console errors,
  uncaught exceptions, failed requests and every request to a host other than 127.0.0.1
  (those are also blocked, so the site is tested offline); ``page_log.problems()`` lists
  them. When a test fails, a screenshot goes to ``test-artifacts/``.
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Request,
    Response,
    Route,
    sync_playwright,
)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOST = "127.0.0.1"

# Problems of the whole site that are not what a page's test is about, each with its reason.
# (None now: the <page>/sitemap.xml 404s are gone, see overrides/main.html.)
KNOWN_SITE_PROBLEMS: list[re.Pattern[str]] = []


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass  # keep the test output clean; failed requests are recorded by the page


@pytest.fixture(scope="session")
def site_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """``http://127.0.0.1:<port>/`` serving the built site.

    ``$BACKPROPDOC_SITE_DIR`` serves an already built site instead (quicker while editing).
    """
    prebuilt = os.environ.get("BACKPROPDOC_SITE_DIR")
    site_dir = Path(prebuilt) if prebuilt else request.getfixturevalue("built_site")
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Chromium, shared by the session."""
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM} (install it, or set $CHROMIUM)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; browser tests may not be skipped in CI", pytrace=False)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class FreshPython:
    """Start copied blocks in a fresh process now (``start``), collect the verdict later
    (``result``): the page's other checks run meanwhile."""

    def __init__(self, errors_dir: Path) -> None:
        self._errors_dir = errors_dir
        self._jobs = itertools.count(1)
        self._server = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("fresh_python.py"))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, "MPLBACKEND": "Agg"},
        )

    def _errors(self, job: int) -> Path:
        return self._errors_dir / f"job-{job}.txt"

    def start(self, blocks: list[dict[str, str | None]]) -> int:
        """Queue the blocks to run, in order, in one fresh process; returns the job's id."""
        assert self._server.stdin is not None
        job = next(self._jobs)
        line = json.dumps({"id": job, "blocks": blocks, "stderr": str(self._errors(job))})
        self._server.stdin.write(line + "\n")
        self._server.stdin.flush()
        return job

    def result(self, job: int) -> tuple[int, str]:
        """The job's exit status and what it wrote to stderr. (Verdicts on jobs that a
        failed test left behind are skipped.)"""
        assert self._server.stdout is not None
        while line := self._server.stdout.readline():
            done, status = map(int, line.split())
            if done == job:
                return status, self._errors(job).read_text(encoding="utf-8")
        raise RuntimeError(f"fresh_python.py died ({self._server.wait()})")

    def close(self) -> None:
        for stream in (self._server.stdin, self._server.stdout):
            if stream is not None:
                stream.close()
        self._server.wait(timeout=60)


@pytest.fixture(scope="session")
def fresh_python(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FreshPython]:
    runner = FreshPython(tmp_path_factory.mktemp("fresh_python"))
    try:
        yield runner
    finally:
        runner.close()


@dataclass
class PageLog:
    """What went wrong while a page was open."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Everything recorded, minus the known site-wide problems."""
        found = [
            *(f"console error: {e}" for e in self.console_errors),
            *(f"uncaught exception: {e}" for e in self.page_errors),
            *(f"failed request: {r}" for r in self.failed_requests),
            *(f"request to another host: {r}" for r in self.external_requests),
        ]
        return [p for p in found if not any(k.search(p) for k in KNOWN_SITE_PROBLEMS)]


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    # Keep each phase's report on the test item so that `page` can tell whether it failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser: Browser, page_log: PageLog, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh page (own context) whose problems go to ``page_log``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})

    def route(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).hostname == LOCAL_HOST:
            route.continue_()
        else:
            page_log.external_requests.append(url)
            route.abort()

    context.route("**/*", route)
    new_page = context.new_page()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            url = message.location.get("url", "")
            page_log.console_errors.append(f"{message.text} ({url})")

    def on_response(response: Response) -> None:
        if response.status >= 400:
            page_log.failed_requests.append(f"{response.status} {response.url}")

    def on_failed(req: Request) -> None:
        # ERR_ABORTED is the browser cancelling a request because the test navigated away
        # (e.g. the search worker still loading); a missing file shows up as a 4xx response.
        if urlsplit(req.url).hostname == LOCAL_HOST and req.failure != "net::ERR_ABORTED":
            page_log.failed_requests.append(f"{req.failure} {req.url}")

    new_page.on("console", on_console)
    new_page.on("pageerror", lambda error: page_log.page_errors.append(str(error)))
    new_page.on("response", on_response)
    new_page.on("requestfailed", on_failed)
    try:
        yield new_page
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
            try:
                new_page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            except Exception as error:  # a crashed page must not hide the real failure
                print(f"no screenshot: {error}")
        context.close()
