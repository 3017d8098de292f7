"""The built site: strict build, offline pages, footer, i18n, search, notebooks."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from site_pages import pages

pytestmark = pytest.mark.build

DOCS = Path(__file__).resolve().parents[1] / "docs"
REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)  # http://, https://, //host
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)""")


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def parse(page: Path) -> Tags:
    tags = Tags()
    tags.feed(page.read_text(encoding="utf-8"))
    return tags


def loaded_urls(tags: Tags) -> list[str]:
    """URLs the browser fetches by itself (not links the reader may follow)."""
    urls = []
    for tag, attrs in tags.tags:
        rel = set(attrs.get("rel", "").split())
        if tag in ("script", "img", "iframe", "audio", "video", "source", "embed", "track"):
            urls.append(attrs.get("src", ""))
            urls += [u.split()[0] for u in attrs.get("srcset", "").split(",") if u.strip()]
        elif tag == "link" and rel & {
            "stylesheet",
            "preload",
            "modulepreload",
            "icon",
            "preconnect",
            "dns-prefetch",
            "prefetch",
            "manifest",
        }:
            urls.append(attrs.get("href", ""))
        elif tag == "object":
            urls.append(attrs.get("data", ""))
    for css in tags.styles:
        urls += CSS_URL.findall(css)
    return [u for u in urls if u]


def test_no_page_loads_anything_from_another_host(built_site: Path) -> None:
    remote = {
        str(page.relative_to(built_site)): [u for u in loaded_urls(parse(page)) if REMOTE.match(u)]
        for page in pages(built_site)
    }
    assert not {k: v for k, v in remote.items() if v}


def test_no_stylesheet_loads_anything_from_another_host(built_site: Path) -> None:
    for css in built_site.rglob("*.css"):
        remote = [u for u in CSS_URL.findall(css.read_text(encoding="utf-8")) if REMOTE.match(u)]
        assert not remote, f"{css.relative_to(built_site)} loads {remote}"


def test_local_resources_exist(built_site: Path) -> None:
    for page in pages(built_site):
        for url in loaded_urls(parse(page)):
            if not url.startswith("data:"):
                path = url.split("#")[0].split("?")[0]
                base = built_site if path.startswith("/") else page.parent  # 404.html
                target = (base / path.lstrip("/")).resolve()
                assert target.exists(), f"{page.relative_to(built_site)}: missing {url}"


def test_math_is_mathml_rendered_at_build_time(built_site: Path) -> None:
    for name in (
        "backward",
        "zh/backward",
        "notebooks/fixed_notebook",
        "zh/notebooks/fixed_notebook",
    ):
        html = (built_site / name / "index.html").read_text(encoding="utf-8")
        assert html.count("<math") > 10, name
        assert 'class="arithmatex"><span class="katex' in html or "notebooks" in name, name
        # No TeX is left for a browser to typeset: no delimiters, no KaTeX script.
        text = re.sub(r"<(script|style|pre|code)\b.*?</\1>", "", html, flags=re.DOTALL)
        assert "\\(" not in text and "\\[" not in text and "$$" not in text, name
        assert "katex.min.js" not in html and "auto-render" not in html, name


def test_every_page_shows_the_versions(built_site: Path) -> None:
    from importlib.metadata import version

    for page in pages(built_site):
        html = page.read_text(encoding="utf-8")
        zh = page.relative_to(built_site).parts[0] == "zh"
        words = "本页数值由" if zh else "Numbers computed with"
        assert words in html, page
        assert f"backpropdoc {version('backpropdoc')}" in html, page
        assert f"PyTorch {version('torch')}" in html, page


def test_chinese_pages_are_marked_chinese(built_site: Path) -> None:
    for page in (built_site / "zh").rglob("*.html"):
        assert '<html lang="zh"' in page.read_text(encoding="utf-8"), page


def test_alternate_links_point_at_pages(built_site: Path) -> None:
    for page in pages(built_site):
        for tag, attrs in parse(page).tags:
            if tag == "link" and attrs.get("rel") == "alternate" and "hreflang" in attrs:
                href = attrs["href"]
                base = built_site if href.startswith("/") else page.parent
                target = (base / href.lstrip("/")).resolve()
                assert (target / "index.html").is_file() or target.is_file(), (page, href)


def test_doctest_blocks_render_with_prompts_marked(built_site: Path) -> None:
    for source in DOCS.glob("*.md"):
        if re.search(r"^[ \t]*```python\n[ \t]*>>>", source.read_text(encoding="utf-8"), re.M):
            stem = source.name.removesuffix(".md").removesuffix(".zh")
            lang = "zh/" if source.name.endswith(".zh.md") else ""
            folder = "" if stem == "index" else f"{stem}/"
            html = (built_site / f"{lang}{folder}index.html").read_text(encoding="utf-8")
            assert 'class="gp"' in html, source.name


def test_zh_notebook_page_is_rendered(built_site: Path) -> None:
    for lang in ("", "zh/"):
        page = built_site / f"{lang}notebooks/fixed_notebook/index.html"
        html = page.read_text(encoding="utf-8")
        assert "jupyter-wrapper" in html, page
        assert "jp-OutputArea" in html, f"{page}: notebook was not executed"
        assert "MathJax" not in html and "require.js" not in html
    assert "修正后的笔记本" in (built_site / "zh/notebooks/fixed_notebook/index.html").read_text()


def search_index(site: Path) -> dict:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))


def test_search_index_has_chinese_words(built_site: Path) -> None:
    index = search_index(built_site / "zh")
    assert "zh" in index["config"]["lang"]
    separator = re.compile(index["config"]["separator"])
    tokens = {
        token
        for doc in index["docs"]
        for token in separator.split(re.sub(r"<[^>]+>", " ", doc["text"]))
    }
    assert {"梯度", "链式法则"} <= tokens, sorted(tokens)[:50]


def test_search_index_per_language(built_site: Path) -> None:
    """/search/ indexes the English pages, /zh/search/ the Chinese ones (all of them)."""
    english, chinese = search_index(built_site), search_index(built_site / "zh")
    for index in (english, chinese):
        assert not any(doc["location"].startswith("zh/") for doc in index["docs"])
    pages = {doc["location"].split("#")[0] for doc in english["docs"]}
    assert pages == {doc["location"].split("#")[0] for doc in chinese["docs"]}
    assert {"", "backward/", "pytorch/", "notebooks/fixed_notebook/"} <= pages
    assert "reference/" not in pages  # excluded in its front matter: a page to read, not search
    # Chinese pages search from /zh/: Material fetches <base>/search/search_index.json.
    html = (built_site / "zh" / "backward" / "index.html").read_text(encoding="utf-8")
    assert '"base": "../../zh/"' in html


def download_links(page: Path) -> list[str]:
    return [
        attrs["href"]
        for tag, attrs in parse(page).tags
        if tag == "a" and "download" in attrs and attrs.get("href", "").endswith(".ipynb")
    ]


def notebooks_of(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*.ipynb"))}


def test_pages_with_code_offer_a_valid_notebook(built_site: Path) -> None:
    offered = set()  # each notebook once: the teachers' page links them all again
    for page in pages(built_site):
        for href in download_links(page):
            notebook = page.parent / href
            assert notebook.is_file(), (page, href)
            nbformat.validate(nbformat.reads(notebook.read_text(encoding="utf-8"), as_version=4))
            offered.add(notebook.resolve())
    assert (built_site / "notebooks/fixed_notebook/fixed_notebook.ipynb").is_file()
    assert (built_site / "zh/notebooks/fixed_notebook/fixed_notebook.ipynb").is_file()
    assert len(offered) == len(notebooks_of(built_site))


# Byte-identical notebooks across builds: tests/test_reproducible.py compares whole builds.


def test_page_notebooks_have_the_code_of_every_python_block(built_site: Path) -> None:
    # Cell by cell (a doctest statement per cell, prose, links): tests/test_page_notebooks.py.
    for source in sorted(DOCS.glob("*.md")):
        text = source.read_text(encoding="utf-8")
        count = len(re.findall(r"^[ \t]*```python[ \t]*$", text, re.M))
        if count == 0 or source.name.endswith(".zh.md"):
            continue
        stem = source.name.removesuffix(".md")
        folder = built_site if stem == "index" else built_site / stem
        nb = nbformat.read(folder / f"{stem}.ipynb", as_version=4)
        blocks = {
            c.metadata["backpropdoc"]["block"]
            for c in nb.cells
            if c.cell_type == "code" and c.metadata.get("backpropdoc") != "install"
        }
        assert blocks == set(range(count)), source.name


def test_notebook_pages_carry_little_css(built_site: Path) -> None:
    """JupyterLab's theme (~575 kB, 80 kB of it icons in custom properties) is trimmed to the
    rules and custom properties a notebook page uses, in shared files, none inlined."""
    for lang in ("", "zh/"):
        page = built_site / f"{lang}notebooks/fixed_notebook/index.html"
        tags = parse(page)
        assert sum(len(css) for css in tags.styles) < 2_000, "CSS inlined in the page"
        sheets = [
            (page.parent / attrs["href"]).resolve()
            for tag, attrs in tags.tags
            if tag == "link" and "/jupyter/" in attrs.get("href", "")
        ]
        assert sheets, "no JupyterLab stylesheet linked"
        css = "".join(sheet.read_text(encoding="utf-8") for sheet in sheets)
        assert len(css) < 40_000
        defined = set(re.findall(r"[{;](--[\w-]+)\s*:", css))
        extra = (DOCS / "stylesheets" / "extra.css").read_text(encoding="utf-8")
        html = page.read_text(encoding="utf-8")
        read = set(re.findall(r"var\(\s*(--[\w-]+)", css + extra + html))
        assert defined <= read, f"custom properties nobody reads: {sorted(defined - read)[:10]}"
        # nbconvert's Mermaid loader (imports from a CDN) and mkdocs-jupyter's copy element.
        assert "mermaid" not in html.lower() and "ClipboardCopyElement" not in html


@pytest.mark.parametrize(("prefix", "lang"), [("", "en"), ("zh/", "zh")])
def test_the_fixed_notebooks_old_address_leads_to_the_same_edition(
    built_site: Path, prefix: str, lang: str
) -> None:
    old = built_site / prefix / "notebooks/seed_fixed/index.html"
    tags = parse(old).tags
    assert ("html", {"lang": lang}) in tags
    (refresh,) = [a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "refresh"]
    delay, url = refresh.split("; url=")
    assert delay == "0"
    new = (old.parent / url / "index.html").resolve()
    assert new == (built_site / prefix / "notebooks/fixed_notebook/index.html").resolve()
    assert f'<html lang="{lang}"' in new.read_text(encoding="utf-8")
