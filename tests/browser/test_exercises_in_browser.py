"""The checked exercises in Chromium, both languages: the right answer, the reader's own
rounding, a wrong answer, radio buttons, all from the keyboard, the verdict announced."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Locator, Page, expect

if TYPE_CHECKING:
    from tests.browser.conftest import PageLog

pytestmark = pytest.mark.browser

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = sorted(
    p.stem
    for p in DOCS.glob("*.md")
    if not p.name.endswith(".zh.md") and "```exercise" in p.read_text(encoding="utf-8")
)
CASES = [(lang, page) for lang in ("en", "zh") for page in PAGES]
# What a Chinese page must say: the verdicts in Chinese, not the English fallback.
CORRECT = {"en": "Correct.", "zh": "正确。"}


def text_of(value: Any, decimals: int) -> str:
    if isinstance(value, list):
        return ", ".join(text_of(v, decimals) for v in value)
    if isinstance(value, float) and decimals:
        return f"{value:.{decimals + 3}f}"  # more decimals than asked: still right
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def rounded(value: Any, decimals: int) -> str | None:
    """The answer rounded to exactly the decimals asked, or None where that is the same text."""
    if isinstance(value, list):
        parts = [rounded(v, decimals) for v in value]
        return None if None in parts else ", ".join(p for p in parts if p is not None)
    if isinstance(value, float) and decimals:
        return f"{value:.{decimals}f}"
    return None


def wrong(value: Any, decimals: int) -> str:
    if isinstance(value, list):
        return ", ".join([wrong(value[0], decimals), *(text_of(v, decimals) for v in value[1:])])
    if isinstance(value, (int, float)):
        return f"{value + 1:.{decimals}f}"
    return value + "x"


def submit(form: Locator, typed: str) -> None:
    box = form.locator("input[type=text]")
    box.focus()
    box.press("Control+a")
    box.press_sequentially(typed)
    box.press("Enter")


def verdict(form: Locator, state: str) -> None:
    expect(form).to_have_attribute("data-state", state)
    status = form.locator("[role=status]")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_text(form.get_attribute(f"data-msg-{state}") or "?")


@pytest.mark.parametrize(("lang", "page_name"), CASES, ids=[f"{l}:{p}" for l, p in CASES])
def test_exercises_check_answers(
    page: Page, page_log: PageLog, site_url: str, lang: str, page_name: str
) -> None:
    page.goto(site_url + ("zh/" if lang == "zh" else "") + f"{page_name}/")
    forms = page.locator("form[data-exercise]")
    assert forms.count() >= 2, "at least two checked exercises per page"
    for i in range(forms.count()):
        form = forms.nth(i)
        answer = json.loads(form.get_attribute("data-answer") or "null")
        decimals = int(form.get_attribute("data-decimals") or "0")
        radios = form.locator("input[type=radio]")
        if radios.count():
            values = [radios.nth(k).get_attribute("value") for k in range(radios.count())]
            right = values.index(answer if isinstance(answer, str) else json.dumps(answer))
            other = (right + 1) % len(values)
            # From the keyboard: focus the first choice, arrow to the one wanted, Enter.
            radios.first.focus()
            page.keyboard.press("Space")
            for _ in range(other):
                page.keyboard.press("ArrowDown")
            page.keyboard.press("Enter")
            verdict(form, "incorrect")
            radios.first.focus()
            page.keyboard.press("Space")
            for _ in range(right):
                page.keyboard.press("ArrowDown")
            expect(radios.nth(right)).to_be_checked()
            page.keyboard.press("Enter")
            verdict(form, "correct")
            continue
        submit(form, wrong(answer, decimals))
        verdict(form, "incorrect")
        short = rounded(answer, decimals)
        if short is not None:
            submit(form, short)
            verdict(form, "correct")
        submit(form, text_of(answer, decimals))
        verdict(form, "correct")
        # The button checks as Enter does.
        submit(form, wrong(answer, decimals))
        form.locator("input[type=text]").press("Control+a")
        form.locator("input[type=text]").press_sequentially(text_of(answer, decimals))
        form.get_by_role("button").click()
        verdict(form, "correct")
    assert forms.first.get_attribute("data-msg-correct") == CORRECT[lang]
    assert not page_log.problems()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_precision_and_solution(page: Page, site_url: str, lang: str) -> None:
    """Too few decimals is not a verdict of wrong but a request; the solution is folded."""
    pages = [p for p in PAGES if p]
    for name in pages:
        page.goto(site_url + ("zh/" if lang == "zh" else "") + f"{name}/")
        # A single number that asks for decimals (a list asks for its count first).
        forms = page.locator("form[data-exercise]:not([data-decimals='0']):not([data-answer^='['])")
        if not forms.count():
            continue
        form = forms.first
        submit(form, "0")
        expect(form).to_have_attribute("data-state", "incorrect")
        decimals = form.get_attribute("data-decimals") or "?"
        expected = (form.get_attribute("data-msg-precision") or "").replace("{n}", decimals)
        expect(form.locator("[role=status]")).to_have_text(expected)
        solution = form.locator("xpath=following-sibling::details[1]")
        expect(solution).not_to_have_attribute("open", "")
        return
    pytest.fail("no exercise asks for decimals")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_printed_page_is_a_worksheet(page: Page, site_url: str, lang: str) -> None:
    """Printed (print media, and the browser's beforeprint): no navigation, header, search or
    answer boxes; every folded solution open and its text laid out; afterprint restores."""
    page.goto(site_url + ("zh/" if lang == "zh" else "") + "backward/")
    solutions = page.locator(".bpd-exercise details")
    assert solutions.count() >= 3
    assert solutions.first.get_attribute("open") is None
    page.emulate_media(media="print")
    # The print stylesheet alone lays out a folded solution (::details-content) ...
    expect(solutions.first.locator("p").first).to_be_visible()
    # ... and the script opens them too, for browsers without it.
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    for hidden in (".md-header", ".md-sidebar--primary", ".md-search", "form[data-exercise]"):
        expect(page.locator(hidden).first).to_be_hidden()
    for i in range(solutions.count()):
        expect(solutions.nth(i)).to_have_attribute("open", "")
        expect(solutions.nth(i).locator("p").first).to_be_visible()
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert solutions.first.get_attribute("open") is None
