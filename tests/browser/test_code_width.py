"""Every code block of both editions shows whole lines at 1280 px: nothing scrolls sideways.

A result hidden behind a horizontal scroll bar (the backward page's ``= -2`` once was) is a
result the reader does not see. The pages' code is formatted to ``LINE_LENGTH`` characters
(tests/page_format.py, checked by tests/test_page_format.py); this test checks, in Chromium at
a 1280×800 window, that no code block scrolls sideways (``pre > code``, ``.highlight pre`` and
the notebook pages' ``pre`` cells and outputs), and that ``LINE_LENGTH`` monospace characters
fit in every block, so that the format width is one the layout really has.
"""

from __future__ import annotations

import pytest
from page_format import LINE_LENGTH
from playwright.sync_api import Browser
from test_pages import PAGE_IDS, PAGES, url_of

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1280, "height": 800}

# Boxes inside the text column (admonitions, tabs, exercises, line-numbered tables, a notebook
# cell's output, indented by its prompt) are narrower: their blocks are checked for scrolling
# only.
NARROWER = ".admonition, details, .tabbed-set, .bpd-exercise, table, .jp-OutputArea"

# For each code block: does it scroll sideways, its first line and its longest line, and for a
# block of the text column, how many characters of its font fit in its width (a probe of 100
# characters, measured in the element that holds the text: <code>, or a <pre> without one).
MEASURE = """narrower => {
  const blocks = new Set(document.querySelectorAll(
    ".md-content pre > code, .md-content .highlight pre, .md-content pre"));
  return [...blocks].map(el => {
    const holdsText = el.tagName === "CODE" || !el.querySelector("code");
    const column = holdsText && !el.closest(narrower);
    const style = getComputedStyle(el);
    const probe = document.createElement("span");
    probe.textContent = "0".repeat(100);
    probe.style.whiteSpace = "pre";
    el.appendChild(probe);
    const charWidth = probe.getBoundingClientRect().width / 100;
    probe.remove();
    const inner = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const lines = el.textContent.split("\\n");
    return {
      scrolls: el.scrollWidth > el.clientWidth,
      hidden: el.scrollWidth - el.clientWidth,
      first: lines[0],
      longest: lines.reduce((a, b) => (b.length > a.length ? b : a), ""),
      fits: column ? Math.floor(inner / charWidth) : null,
    };
  });
}"""


def test_no_code_block_scrolls_sideways(browser: Browser, site_url: str) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    offenders, narrow, measured = [], [], 0
    try:
        for (lang, path), name in zip(PAGES, PAGE_IDS, strict=True):
            page.goto(url_of(site_url, lang, path))
            page.wait_for_load_state("load")
            for block in page.evaluate(MEASURE, NARROWER):
                measured += 1
                if block["scrolls"]:
                    offenders.append(
                        f"{name}: block starting {block['first'][:60]!r} hides "
                        f"{block['hidden']} px of {block['longest']!r}"
                    )
                if block["fits"] is not None and block["fits"] < LINE_LENGTH:
                    narrow.append(f"{name}: {block['first'][:60]!r} fits {block['fits']}")
    finally:
        context.close()
    assert measured > 100, "the pages' code blocks were found"
    assert not offenders, f"{len(offenders)} code blocks scroll sideways:\n" + "\n".join(offenders)
    assert not narrow, f"blocks narrower than {LINE_LENGTH} characters:\n" + "\n".join(narrow)
