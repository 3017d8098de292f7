"""The browser fixtures notice what they promise to notice."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page

if TYPE_CHECKING:
    from tests.browser.conftest import FreshPython, PageLog

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


def test_fresh_python_runs_each_job_in_a_clean_process(fresh_python: FreshPython) -> None:
    def block(code: str, error: str | None = None) -> dict[str, str | None]:
        return {"code": code, "error": error}

    leaks = fresh_python.start([block("import torch; torch.set_default_dtype(torch.float64)")])
    forgot_import = fresh_python.start([block("torch.zeros(1)")])
    shows_error = fresh_python.start([block("import torch"), block("1 / 0", "ZeroDivisionError")])
    wrong_error = fresh_python.start([block("1 / 0", "ValueError")])
    no_error = fresh_python.start([block("x = 1", "ValueError")])
    clean = fresh_python.start(
        [block("import torch\nassert torch.get_default_dtype() == torch.float32")]
    )

    assert fresh_python.result(forgot_import)[0] == 1  # the verdict on `leaks` is skipped
    status, errors = fresh_python.result(shows_error)
    assert (status, errors) == (0, "")
    status, errors = fresh_python.result(wrong_error)
    assert status == 1 and "ZeroDivisionError" in errors
    status, errors = fresh_python.result(no_error)
    assert status == 1 and "should raise ValueError" in errors
    assert fresh_python.result(clean)[0] == 0, "state from an earlier job leaked"
    assert leaks < forgot_import
