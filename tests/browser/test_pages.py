"""Every page of both editions, in Chromium: math, console, copy-paste, search, languages, a11y.

Pages are the docs sources (``docs/<page>.md``, ``docs/notebooks/<name>.py``; the Chinese
edition has every page, translated or not); ``test_every_built_page_is_tested`` checks that
this is exactly the set of ``index.html`` pages in the built site (404 aside).
"""

from __future__ import annotations

import os
import re
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat
import pytest
import site_pages
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

if TYPE_CHECKING:
    from tests.browser.conftest import FreshPython, PageLog

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
LANGUAGES = ("en", "zh")


def _sources() -> dict[str, Path]:
    """Page path ("", "forward/", "notebooks/fixed_notebook/") → its English source."""
    found = {}
    for source in [*DOCS.glob("*.md"), *(DOCS / "notebooks").glob("*.py")]:
        if source.suffixes[-2:-1] == [".zh"]:
            continue
        name = source.relative_to(DOCS).with_suffix("").as_posix()
        found["" if name == "index" else f"{name}/"] = source
    return dict(sorted(found.items()))


SOURCES = _sources()
PAGES = [(lang, path) for lang in LANGUAGES for path in SOURCES]
PAGE_IDS = [f"{lang}:/{path}" for lang, path in PAGES]


NOTEBOOK_PAGES = [path for path, source in SOURCES.items() if source.suffix == ".py"]

PYTHON_BLOCKS = "div.language-python, div.language-pycon, div.highlight-ipynb.hl-python"
# Raw TeX that KaTeX should have consumed.
RAW_TEX = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]|\\frac")
RAW_DOLLAR_TEX = re.compile(r"\$[^$\n]*[\\^_{}][^$\n]*\$")  # $...$ around TeX (notebook pages)
# Material ≤ 9.7: button.md-clipboard; 9.8: a button in nav.md-code__nav.
COPY_BUTTON = "button.md-clipboard, button.md-code__button[data-md-type=copy]"
SERIOUS = {"serious", "critical"}

# Records what Material's copy button puts on the clipboard: ClipboardJS copies the selected
# text of a temporary textarea with document.execCommand("copy"); newer code may call
# navigator.clipboard.writeText. Both are caught, and nothing reaches the real clipboard.
RECORD_CLIPBOARD = """
window.__copied = [];
const execCommand = document.execCommand.bind(document);
document.execCommand = (command, ...rest) => {
  if (command === "copy") {
    const el = document.activeElement;
    const text = el && "value" in el ? el.value : String(document.getSelection());
    window.__copied.push(text);
    return true;
  }
  return execCommand(command, ...rest);
};
if (navigator.clipboard) {
  navigator.clipboard.writeText = async text => { window.__copied.push(text); };
}
"""


def url_of(site_url: str, lang: str, path: str) -> str:
    return site_url + ("zh/" if lang == "zh" else "") + path


def source_of(lang: str, path: str) -> Path:
    english = SOURCES[path]
    translated = english.with_name(f"{english.stem}.zh{english.suffix}")
    return translated if lang == "zh" and translated.exists() else english


def open_page(page: Page, site_url: str, lang: str, path: str) -> None:
    page.goto(url_of(site_url, lang, path))
    expect(page.locator("html")).to_have_attribute("lang", lang)
    page.wait_for_load_state("load")
    # KaTeX runs on Material's document$; give it the event loop once.
    page.wait_for_function("() => document.readyState === 'complete'")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))")


# ---------------------------------------------------------------------------
# The page list


def test_every_built_page_is_tested(request: pytest.FixtureRequest) -> None:
    prebuilt = os.environ.get("BACKPROPDOC_SITE_DIR")
    site = Path(prebuilt) if prebuilt else request.getfixturevalue("built_site")
    built = {
        p.parent.relative_to(site).as_posix()
        for p in site_pages.pages(site, "index.html")
        if p.relative_to(site).parts[0] not in {"assets", "search"}
    }
    expected = {
        url.rstrip("/") or "." for url in (("zh/" if lang == "zh" else "") + p for lang, p in PAGES)
    }
    assert built == expected
    assert len(SOURCES) >= 12


# ---------------------------------------------------------------------------
# 1 + 2: math rendered, nothing goes wrong while loading


def check_math(page: Page, path: str) -> None:
    report = page.evaluate(
        """() => {
          const content = document.querySelector(".md-content");
          const visible = [];
          const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
          while (walker.nextNode()) {
            const node = walker.currentNode, el = node.parentElement;
            if (el.closest(".katex, pre, code, script, style, .katex-mathml")) continue;
            visible.push(node.textContent);
          }
          return {
            text: visible.join(""),
            errors: [...document.querySelectorAll(".katex-error")].map(e => e.textContent),
            unrendered: [...document.querySelectorAll(".arithmatex")]
              .filter(e => !e.querySelector(".katex")).map(e => e.textContent),
            katex: document.querySelectorAll(".katex").length,
            mathml: [...document.querySelectorAll(".katex")]
              .filter(e => e.querySelector("math")).length,
          };
        }"""
    )
    assert report["errors"] == []
    assert report["unrendered"] == []
    assert RAW_TEX.findall(report["text"]) == []
    if path in NOTEBOOK_PAGES:
        assert RAW_DOLLAR_TEX.findall(report["text"]) == []
    assert report["mathml"] == report["katex"], "every KaTeX formula is MathML"


# ---------------------------------------------------------------------------
# 3: copy-paste promise


def python_fences(markdown: str) -> list[list[str]]:
    """The content lines of each ```python fence, in order (dedented)."""
    found, lines, i = [], markdown.split("\n"), 0
    while i < len(lines):
        m = re.match(r"^([ \t]*)(`{3,})python\s*$", lines[i])
        if not m:
            i += 1
            continue
        indent, fence, body = m[1], m[2], []
        i += 1
        while i < len(lines) and lines[i].strip() != fence:
            body.append(lines[i].removeprefix(indent))
            i += 1
        found.append(body)
        i += 1
    return found


def doctest_statements(lines: list[str]) -> tuple[list[str], str | None]:
    """The code of a doctest session (no prompts, no output) and the error it expects."""
    code, error, in_traceback = [], None, False
    for line in lines:
        if line.startswith(">>>") or (line.startswith("...") and not in_traceback):
            code.append(line[4:])
            in_traceback = False
        elif line.startswith("Traceback (most recent call last)"):
            in_traceback = True
        elif in_traceback and re.match(r"^[A-Za-z_.]+(Error|Exception|Warning)\b", line):
            error = line.split(":", 1)[0].rsplit(".", 1)[-1]
    return code, error


def expected_blocks(lang: str, path: str) -> list[dict[str, Any]]:
    """What each Python block of the page should copy: code lines, or None when the block
    includes a source file; and the exception the page shows it raising, if any."""
    source = source_of(lang, path)
    if source.suffix == ".py":
        import jupytext

        notebook = jupytext.read(source)
        cells = [c for c in notebook.cells if c.cell_type == "code"]
        return [{"code": c.source.split("\n"), "error": None} for c in cells]
    blocks = []
    for lines in python_fences(source.read_text(encoding="utf-8")):
        if lines and lines[0].startswith(">>>"):
            code, error = doctest_statements(lines)
            blocks.append({"code": code, "error": error})
        elif any("--8<--" in line for line in lines):
            blocks.append({"code": None, "error": None})
        else:
            blocks.append({"code": lines, "error": None})
    return blocks


def nonblank(lines: list[str]) -> list[str]:
    return [line.rstrip() for line in lines if line.strip()]


def copy_every_block(page: Page, expected: list[dict[str, Any]]) -> list[str]:
    """Click every Python block's copy button; check each copies only its code.

    The first button gets a real mouse click (visible, not covered); the rest are clicked from
    script, one page round trip in all, through the same click handler."""
    blocks = page.locator(PYTHON_BLOCKS)
    assert blocks.count() == len(expected), "Python blocks on the page vs. in the source"
    if not expected:
        return []
    blocks.first.locator(COPY_BUTTON).click()
    page.wait_for_function("() => window.__copied.length === 1")
    buttons = page.evaluate(
        """([blocks, button]) => [...document.querySelectorAll(blocks)].map((block, i) => {
             const found = block.querySelectorAll(button);
             if (i > 0 && found.length === 1) found[0].click();
             return found.length;
           })""",
        [PYTHON_BLOCKS, COPY_BUTTON],
    )
    assert buttons == [1] * len(expected), "one copy button per block"
    page.wait_for_function("n => window.__copied.length === n", arg=len(expected))
    copied: list[str] = page.evaluate("() => window.__copied")
    for i, (text, want) in enumerate(zip(copied, expected, strict=True), start=1):
        lines = text.split("\n")
        prompts = [line for line in lines if re.match(r"^(>>>|\.\.\.)( |$)", line)]
        assert prompts == [], f"block {i} copies prompts"
        if want["code"] is not None:
            assert nonblank(lines) == nonblank(want["code"]), f"block {i}: only its code"
        else:
            assert text.strip(), f"block {i} copies nothing"
    return copied


@pytest.mark.parametrize(("lang", "path"), PAGES, ids=PAGE_IDS)
def test_page(
    page: Page,
    page_log: PageLog,
    fresh_python: FreshPython,
    site_url: str,
    lang: str,
    path: str,
) -> None:
    """One visit per page: math, copy-paste, the notebook download, the language switcher,
    axe, a clean log.

    The copied code runs in a fresh Python process while axe inspects the page. Notebook
    pages' code ran when the site was built (mkdocs-jupyter, allow_errors: false).
    """
    expected = expected_blocks(lang, path)
    page.context.add_init_script(RECORD_CLIPBOARD)
    open_page(page, site_url, lang, path)
    check_math(page, path)
    copied = copy_every_block(page, expected)
    cells = check_notebook_download(page, path, copied, expected)
    jobs = {}
    if copied and path not in NOTEBOOK_PAGES:
        blocks = [{"code": t, "error": w["error"]} for t, w in zip(copied, expected, strict=True)]
        jobs["copied blocks"] = fresh_python.start(blocks)
        # The notebook catches the errors the page shows, so it runs top to bottom.
        jobs["notebook"] = fresh_python.start([{"code": c, "error": None} for c in cells])

    violations = serious_violations(page)
    check_switcher_link(page, site_url, lang, path)

    for what, job in jobs.items():
        status, errors = fresh_python.result(job)
        assert status == 0, f"{what}:\n{errors[-3000:]}"
    assert not violations, "\n".join(violations)
    assert page_log.problems() == []


# ---------------------------------------------------------------------------
# 4: search, offline, in both languages

SEARCHES = [
    ("en", "", "gradient"),
    *(("zh", path, word) for path, word in [("", "链式法则"), ("backward/", "梯度")]),
]


@pytest.mark.parametrize(("lang", "path", "word"), SEARCHES)
def test_search(page: Page, page_log: PageLog, site_url: str, lang: str, path: str, word: str):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    index = site_url + ("zh/" if lang == "zh" else "") + "search/search_index.json"
    open_page(page, site_url, lang, path)
    page.wait_for_timeout(300)
    assert index not in requested, "the search index waits until the reader reaches for search"
    page.keyboard.press("/")
    search = page.locator(".md-search__input")
    expect(search).to_be_focused()
    search.press_sequentially(word, delay=20)
    results = page.locator(".md-search-result__item a")
    expect(results.first).to_be_visible(timeout=10_000)
    assert index in requested
    hrefs = results.evaluate_all("links => links.map(a => a.href)")
    assert hrefs
    for href in hrefs:
        assert href.startswith(site_url)
        assert href.startswith(site_url + "zh/") == (lang == "zh"), href
    assert page_log.problems() == []


# ---------------------------------------------------------------------------
# 5: language switcher


def switch_language(page: Page, to: str) -> None:
    page.locator(".md-header .md-select").hover()
    link = page.locator(f".md-header .md-select a[hreflang={to}]")
    expect(link).to_be_visible()
    link.click()
    expect(page.locator("html")).to_have_attribute("lang", to)


def check_switcher_link(page: Page, site_url: str, lang: str, path: str) -> None:
    """The language selector links to this very page in the other language."""
    other = "zh" if lang == "en" else "en"
    link = page.locator(f".md-header .md-select a[hreflang={other}]")
    expect(link).to_have_count(1)
    href = urllib.parse.urljoin(page.url, link.get_attribute("href") or "")
    assert href == url_of(site_url, other, path)


# Clicked through on a few pages; test_page checks every page's link.
@pytest.mark.parametrize("path", ["", "backward/", *NOTEBOOK_PAGES], ids=lambda p: f"/{p}")
def test_language_switcher(page: Page, page_log: PageLog, site_url: str, path: str) -> None:
    open_page(page, site_url, "en", path)
    switch_language(page, "zh")
    assert page.url == url_of(site_url, "zh", path)
    switch_language(page, "en")
    assert page.url == url_of(site_url, "en", path)
    assert page_log.problems() == []


# ---------------------------------------------------------------------------
# 6: dark mode


def scheme(page: Page) -> str:
    return page.locator("body").get_attribute("data-md-color-scheme") or ""


def toggle_palette(page: Page) -> None:
    page.locator("form[data-md-component=palette] label:visible").first.click()


@pytest.mark.parametrize(
    ("lang", "path"),
    [("en", ""), ("zh", ""), ("en", "backward/"), ("en", "notebooks/fixed_notebook/")],
)
def test_dark_mode(page: Page, page_log: PageLog, site_url: str, lang: str, path: str) -> None:
    """The palette toggles to dark and back, and the dark pages are accessible too."""
    open_page(page, site_url, lang, path)
    assert scheme(page) == "default"
    toggle_palette(page)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    violations = serious_violations(page)
    assert not violations, "\n".join(violations)
    toggle_palette(page)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    assert page_log.problems() == []


# ---------------------------------------------------------------------------
# 7: notebook downloads


def download(page: Page, page_url: str) -> nbformat.NotebookNode:
    link = page.locator(".bpd-download a[download]")
    expect(link).to_have_count(1)
    href = link.get_attribute("href") or ""
    assert href.endswith(".ipynb")
    response = page.request.get(urllib.parse.urljoin(page_url, href))
    assert response.ok, response.status
    notebook = nbformat.reads(response.text(), as_version=4)
    nbformat.validate(notebook)
    return notebook


def check_notebook_download(
    page: Page, path: str, copied: list[str], expected: list[dict[str, Any]]
) -> list[str]:
    """A page with code offers it as a valid notebook: an install cell, then the code of each
    block (a doctest session a cell per statement), as copied, except that a statement the page
    shows failing is wrapped in try. Returns each block's code (test_page runs it; notebook
    pages ran theirs at build time; tests/test_notebooks_run.py runs the notebooks)."""
    if not copied:
        expect(page.locator(".bpd-download a[download]")).to_have_count(0)
        return []
    notebook = download(page, page.url)
    name = path.rstrip("/").rsplit("/", 1)[-1] or "index"
    assert page.locator(".bpd-download a").get_attribute("href") == f"{name}.ipynb"
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code[0].metadata.get("backpropdoc") == "install"
    # The rest, grouped by the page block each came from (a doctest: a cell per statement).
    by_block: dict[int, list[str]] = {}
    for cell in code[1:]:
        by_block.setdefault(cell.metadata["backpropdoc"]["block"], []).append(cell.source)
    cells = ["\n".join(sources) for _, sources in sorted(by_block.items())]
    assert len(cells) == len(copied)
    for i, (cell, text, want) in enumerate(zip(cells, copied, expected, strict=True), start=1):
        if want["error"] is None:
            assert nonblank(cell.split("\n")) == nonblank(text.split("\n")), f"block {i}"
        else:
            assert "# the page shows this error" in cell, f"block {i}"
    return cells


# ---------------------------------------------------------------------------
# 8: accessibility

AXE = Axe()


def serious_violations(page: Page) -> list[str]:
    results = AXE.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(
            f"{' '.join(map(str, n['target']))} [{n.get('failureSummary', '').splitlines()[-1]}]"
            for n in v["nodes"][:4]
        )
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]
