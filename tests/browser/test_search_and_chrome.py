"""Search that understands Chinese, the theme's words and the one 404 page, in Chromium.

- A compound term typed or pasted whole finds the page about it first, with no part of it
  marked missing (Material strikes out query terms a result lacks); 学习率 highlights
  学习率, never 学习者; previews show no raw LaTeX, no ¶, no download link. The English
  search keeps working the same way.
- Theme toggle, permalinks and the previous/next footer speak the page's language.
- /404.html, served by GitHub Pages for every missing address: a lost /zh/ page gets the
  Chinese section first and the page its address was close to.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page, Route, expect

if TYPE_CHECKING:
    from tests.browser.conftest import PageLog

pytestmark = pytest.mark.browser

# (edition, query, the page about it)
SEARCHES = [
    ("zh", "反向传播", "backward/"),
    ("zh", "链式法则", "backward/"),
    ("zh", "学习率", "gradient-descent/"),
    ("zh", "梯度累加", "pytorch/"),
    ("zh", "叶子张量", "pytorch/"),
    ("zh", "损失函数", "loss/"),
    ("zh", "矩阵形式", "matrix-form/"),
    ("en", "learning rate", "gradient-descent/"),
    ("en", "leaf tensor", "pytorch/"),
    ("en", "matrix form", "matrix-form/"),
    ("en", "accumulate", "pytorch/"),
    ("en", "loss", "loss/"),
]
RESULTS = """() => [...document.querySelectorAll(".md-search-result__item > a")].map(a => ({
  href: a.getAttribute("href"),
  text: a.innerText,
  missing: [...a.querySelectorAll("del")].map(d => d.textContent),
  marked: [...a.querySelectorAll("mark")].map(m => m.textContent),
}))"""


def search(page: Page, site_url: str, lang: str, query: str, *, paste: bool) -> list[dict]:
    page.goto(site_url + ("zh/" if lang == "zh" else ""))
    page.keyboard.press("/")
    box = page.locator(".md-search__input")
    expect(box).to_be_focused()
    if paste:  # an IME commits a whole word at once, as a paste does
        box.fill(query)
    else:
        box.press_sequentially(query, delay=20)
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=10_000)
    # The results of the last keystroke's query: the same twice in a row.
    results, previous = page.evaluate(RESULTS), None
    while results != previous:
        page.wait_for_timeout(250)
        results, previous = page.evaluate(RESULTS), results
    return results  # type: ignore[no-any-return]


def page_of(href: str, site_url: str, lang: str) -> str:
    """The page a result links to, relative to its edition's root."""
    path = href.split("?")[0].split("#")[0].removeprefix(site_url).removeprefix("/")
    return path.removeprefix("zh/") if lang == "zh" else path


@pytest.mark.parametrize("paste", [True, False], ids=["pasted", "typed"])
@pytest.mark.parametrize(("lang", "query", "expected"), SEARCHES)
def test_a_whole_term_finds_its_page_first(
    page: Page, page_log: PageLog, site_url: str, lang: str, query: str, expected: str, paste: bool
) -> None:
    results = search(page, site_url, lang, query, paste=paste)
    first = results[0]
    assert page_of(first["href"], site_url, lang) == expected, [r["href"] for r in results]
    assert all(r["href"].startswith(site_url + "zh/") == (lang == "zh") for r in results)
    missing = sorted({term for r in results for term in r["missing"]})
    if lang == "zh":  # the term is one token: there is no half of it to miss
        assert missing == [], missing
        marked = {term for r in results for term in r["marked"]}
        assert marked == {query}, marked
    assert page_log.problems() == []


def test_learning_rate_does_not_highlight_learner(page: Page, site_url: str) -> None:
    results = search(page, site_url, "zh", "学习率", paste=True)
    marked = [term for r in results for term in r["marked"]]
    assert marked and set(marked) == {"学习率"}, marked
    # Following a result highlights the term on the page (search.highlight), only it.
    page.goto(site_url + "zh/?h=" + "学习率")
    page.wait_for_load_state("load")
    on_page = page.evaluate("() => [...document.querySelectorAll('mark')].map(m => m.textContent)")
    assert "学习者" in page.locator("article").inner_text()  # the home page has both words
    assert "学习者" not in on_page and "学习" not in on_page, on_page


@pytest.mark.parametrize(
    ("lang", "query"), [("zh", "梯度"), ("zh", "链式法则"), ("en", "gradient"), ("en", "chain")]
)
def test_previews_show_what_the_page_shows(
    page: Page, site_url: str, lang: str, query: str
) -> None:
    for result in search(page, site_url, lang, query, paste=True):
        text = result["text"]
        assert not re.search(r"\\\(|\\\[|\\frac|\\partial|\\operatorname|_\{|\^\{", text), text
        assert "¶" not in text, text
        assert ".ipynb" not in text and "下载本页" not in text and "Download this" not in text


# ---------------------------------------------------------------------------
# The theme's words


@pytest.mark.parametrize(
    ("lang", "toggle", "permalink", "colon"),
    [("zh", "切换到", "永久链接", "："), ("en", "Switch to", "Permanent link", ": ")],
)
def test_theme_words_in_the_page_language(
    page: Page, site_url: str, lang: str, toggle: str, permalink: str, colon: str
) -> None:
    page.goto(site_url + ("zh/" if lang == "zh" else "") + "backward/")
    titles = page.evaluate(
        "() => [...document.querySelectorAll('[data-md-component=palette] label')]"
        ".map(l => l.title)"
    )
    assert titles and all(t.startswith(toggle) for t in titles), titles
    links = page.locator("a.headerlink")
    assert links.count() > 3
    assert set(links.evaluate_all("ls => ls.map(l => l.title)")) == {permalink}
    footer = page.locator(".md-footer__link--next").get_attribute("aria-label")
    assert footer is not None and colon in footer, footer


# ---------------------------------------------------------------------------
# The one 404 page


@pytest.fixture
def site_dir(request: pytest.FixtureRequest) -> Path:
    """The directory ``site_url`` serves (see its fixture)."""
    prebuilt = os.environ.get("BACKPROPDOC_SITE_DIR")
    return Path(prebuilt) if prebuilt else request.getfixturevalue("built_site")


def serve_404(page: Page, site: Path, address: str) -> None:
    """Answer ``address`` as GitHub Pages does a missing page: /404.html, status 404."""

    def fulfil(route: Route) -> None:
        route.fulfill(status=404, path=str(site / "404.html"), content_type="text/html")

    page.route(address, fulfil)


@pytest.mark.parametrize(
    ("missing", "lang", "heading", "suggested"),
    [
        ("zh/backwrd/", "zh", "找不到这个页面", "zh/backward/"),
        (
            "zh/notebooks/fixed-notebook.html",
            "zh",
            "找不到这个页面",
            "zh/notebooks/fixed_notebook/",
        ),
        ("gradient-decent/", "en", "Page not found", "gradient-descent/"),
        ("zh/nothing-like-any-page-here/", "zh", "找不到这个页面", None),
    ],
)
def test_404_helps_in_the_readers_language(
    page: Page,
    page_log: PageLog,
    site_dir: Path,
    site_url: str,
    missing: str,
    lang: str,
    heading: str,
    suggested: str | None,
) -> None:
    serve_404(page, site_dir, site_url + missing)
    page.goto(site_url + missing)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    sections = page.locator("[data-bpd-404] section")
    expect(sections.first).to_have_attribute("lang", lang)
    expect(sections.first.locator("h1")).to_have_text(heading)
    # The header speaks the reader's language too; no sidebar repeats the English menu.
    search = page.locator("input[data-md-component=search-query]")
    expect(search).to_have_attribute("placeholder", "搜索" if lang == "zh" else "Search")
    toggle = page.locator("label[for^=__palette]:visible")
    expect(toggle).to_have_attribute(
        "title", "切换到深色模式" if lang == "zh" else "Switch to dark mode"
    )
    title = page.locator(".md-header__topic").first
    expect(title).to_have_text("backpropdoc 反向传播" if lang == "zh" else "backpropdoc")
    expect(page.locator(".md-sidebar--primary")).to_have_count(0)
    # Every page of both editions is one click away.
    assert sections.count() == 2
    for section in sections.all():
        hrefs = section.locator("a[data-page]").evaluate_all("ls => ls.map(l => l.href)")
        prefix = site_url + ("zh/" if section.get_attribute("lang") == "zh" else "")
        assert prefix + "backward/" in hrefs and prefix + "pytorch/" in hrefs, hrefs
    suggestion = sections.first.locator(".bpd-404-suggestion")
    if suggested is None:
        expect(suggestion).to_be_hidden()
    else:
        expect(suggestion).to_be_visible()
        assert suggestion.locator("a").get_attribute("href") == site_url + suggested
        suggestion.locator("a").click()
        expect(page.locator("html")).to_have_attribute("lang", lang)
    # The one problem: the page asked for is missing (a 404 response, logged by Chromium).
    assert all(f"{site_url}{missing}" in problem for problem in page_log.problems())


@pytest.mark.parametrize("prefix", ["", "zh/"])
def test_the_fixed_notebooks_old_address_opens_the_new_page(
    page: Page, page_log: PageLog, site_url: str, prefix: str
) -> None:
    page.goto(site_url + prefix + "notebooks/seed_fixed/")
    page.wait_for_url(site_url + prefix + "notebooks/fixed_notebook/")
    expect(page.locator("h1").first).to_have_accessible_name(
        "修正后的笔记本" if prefix else "The notebook, fixed"
    )
    assert page_log.problems() == []
