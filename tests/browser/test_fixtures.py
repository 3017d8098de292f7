"""The browser fixtures notice what they promise to notice."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page

if TYPE_CHECKING:
    from tests.browser.conftest import PageLog

pytestmark = pytest.mark.browser


def test_page_log_records_errors_and_blocks_other_hosts(
    page: Page, page_log: PageLog, site_url: str
) -> None:
    page.goto(site_url)
    assert page_log.problems() == []
    page.evaluate("console.error('boom')")
    page.evaluate("fetch('https://example.com/x').catch(() => {})")
    page.evaluate("fetch('missing.txt').catch(() => {})")
    page.evaluate("setTimeout(() => { throw new Error('uncaught') }, 0)")
    page.wait_for_timeout(300)
    problems = "\n".join(page_log.problems())
    assert "boom" in problems
    assert "request to another host: https://example.com/x" in problems
    assert "404" in problems and "missing.txt" in problems
    assert "uncaught" in problems
