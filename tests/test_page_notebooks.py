"""The notebooks the site offers carry their page: its prose as Markdown, its code with a cell per
doctest statement, links to the hosted site, the page's language, and first a cell that installs
backpropdoc where it is missing (docs/hooks/page_notebooks.py). That they run in a fresh kernel
is tests/test_notebooks_run.py.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import nbformat
import pytest

import backpropdoc

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
sys.path.insert(0, str(DOCS / "hooks"))
import page_notebooks  # noqa: E402  (a docs hook: mkdocs puts docs/hooks on the path)
from _fences import blocks  # noqa: E402

SITE = "http://127.0.0.1:8000/"  # mkdocs.yml's default SITE_URL (the test build's: site_address)
WHEEL = f"backpropdoc-{backpropdoc.__version__}-py3-none-any.whl"
CJK = re.compile(r"[\u4e00-\u9fff]")
RELATIVE_LINK = re.compile(r"\]\((?!https?://)[^)]*\)|\b(?:href|src)=\"(?!https?://)")


def config(language: str = "en", site_url: str = SITE) -> Any:
    return SimpleNamespace(
        theme={"language": language}, site_url=site_url, mdx_configs={}, repo_url=None
    )


# ---------------------------------------------------------------------------
# The install cell


def test_install_cell_takes_the_sites_wheel_until_the_version_is_on_pypi(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("BACKPROPDOC_ON_PYPI", raising=False)
    source = page_notebooks.install_source(config(site_url="https://o.github.io/r/"))
    compile(source, "install", "exec")
    assert f'pip_install("https://o.github.io/r/dist/{WHEEL}")' in source
    assert 'pip_install("torch", "--index-url", "https://download.pytorch.org/whl/cpu")' in source
    assert 'find_spec("backpropdoc") is None' in source

    monkeypatch.setenv("BACKPROPDOC_ON_PYPI", "1")
    source = page_notebooks.install_source(config(site_url="https://o.github.io/r/"))
    assert f'pip_install("backpropdoc=={backpropdoc.__version__}")' in source
    assert "dist/" not in source


def test_install_cell_speaks_the_pages_language() -> None:
    assert "若当前内核没有它，就安装它" in page_notebooks.install_source(config("zh"))
    assert not CJK.search(page_notebooks.install_source(config("en")))


# ---------------------------------------------------------------------------
# Markdown to cells, on a page written for the purpose


PAGE = """# Title

Some prose with $a_1^{(1)}$, [a page](notation.md#leaf), [here](#below) and
![a figure](assets/f.svg){ width="720" }.

<!-- skip: next "reason" -->

!!! tip "Try it"
    Quoted prose.

    ```pycon
    >>> 1 + 1
    2
    >>> print("x")
    x
    ```

## A section { #below }

```python
def f():
    return 1
```

<div class="bpd-exercise" markdown="block">

### Exercise 1: one

<form data-exercise="one"><input></form>

??? success "Solution"

    It is $2$.

</div>

```sh
pip install backpropdoc
```
"""


def convert(markdown: str) -> list[nbformat.NotebookNode]:
    page = SimpleNamespace(
        title="Title", url="backward/", file=SimpleNamespace(src_uri="backward.md")
    )
    files = SimpleNamespace(get_file_from_path=lambda path: None)
    text = page_notebooks.page_notebook(markdown, page, config(), files)  # type: ignore[arg-type]
    assert text is not None
    return nbformat.reads(text, as_version=4).cells


def test_a_page_becomes_prose_and_a_cell_per_statement() -> None:
    cells = convert(PAGE)
    kinds = [(c.cell_type, c.metadata.get("backpropdoc")) for c in cells]
    assert kinds == [
        ("markdown", None),
        ("code", "install"),
        ("markdown", None),  # the prose, then the admonition's title and prose, quoted
        ("code", {"block": 0}),
        ("code", {"block": 0}),
        ("markdown", None),  # ## A section
        ("code", {"block": 1}),
        ("markdown", None),  # ### Exercise 1
    ]
    assert cells[0].source.startswith("# Title\n\n")
    assert f"]({SITE}backward/)" in cells[0].source
    assert [c.source for c in cells if c.metadata.get("backpropdoc") == {"block": 0}] == [
        "1 + 1",
        'print("x")',
    ]
    assert cells[6].source == "def f():\n    return 1"


def test_prose_keeps_math_and_links_to_the_hosted_site() -> None:
    cells = convert(PAGE)
    prose = cells[2].source
    assert "$a_1^{(1)}$" in prose
    assert f"[a page]({SITE}notation/#leaf)" in prose
    assert f"[here]({SITE}backward/#below)" in prose
    assert f"![a figure]({SITE}assets/f.svg)" in prose, prose
    assert "{ width" not in prose and "<!--" not in prose
    assert prose.endswith(".\n\n> **Try it**\n>\n> Quoted prose."), prose
    assert cells[5].source == "## A section"


def test_site_only_markup_is_dropped_and_other_code_stays_prose() -> None:
    cells = convert(PAGE)
    last = cells[-1].source
    assert last.startswith("### Exercise 1: one")
    assert "<form" not in last and "<div" not in last and "</div>" not in last
    assert "<details>\n<summary>Solution</summary>\n\nIt is $2$.\n\n</details>" in last, last
    assert "```sh\npip install backpropdoc\n```" in last


def test_a_page_without_python_has_no_notebook() -> None:
    page = SimpleNamespace(title="T", url="t/", file=SimpleNamespace(src_uri="t.md"))
    files = SimpleNamespace(get_file_from_path=lambda path: None)
    assert page_notebooks.page_notebook("# T\n\n```sh\nls\n```\n", page, config(), files) is None  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# The built notebooks


def pages_with_code() -> list[Path]:
    return sorted(
        p
        for p in DOCS.glob("*.md")
        if not p.name.endswith(".zh.md") and "```python" in p.read_text(encoding="utf-8")
    )


def notebook_of(site: Path, source: Path, lang: str) -> nbformat.NotebookNode:
    stem = source.name.removesuffix(".md")
    folder = site / ("zh" if lang == "zh" else "") / ("" if stem == "index" else stem)
    return nbformat.read(folder / f"{stem}.ipynb", as_version=4)


@pytest.mark.build
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("source", pages_with_code(), ids=lambda p: p.stem)
def test_built_notebook_carries_the_page(
    built_site: Path, site_address: str, source: Path, lang: str
) -> None:
    nb = notebook_of(built_site, source, lang)
    stem = source.name.removesuffix(".md")
    page_url = site_address + ("zh/" if lang == "zh" else "")
    page_url += "" if stem == "index" else f"{stem}/"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    assert f"]({page_url})" in nb.cells[0].source
    assert nb.cells[1].metadata["backpropdoc"] == "install"
    assert f"{site_address}dist/{WHEEL}" in nb.cells[1].source

    # Code: each ```python block of the page, a doctest statement per cell.
    text = (source.with_suffix(".zh.md") if lang == "zh" else source).read_text(encoding="utf-8")
    python = [b for b in blocks(text.split("\n")) if b.info == "python"]
    by_block: dict[int, list[str]] = {}
    for cell in nb.cells[2:]:
        if cell.cell_type == "code":
            by_block.setdefault(cell.metadata["backpropdoc"]["block"], []).append(cell.source)
    assert sorted(by_block) == list(range(len(python)))
    for i, block in enumerate(python):
        if block.is_doctest:
            statements = sum(line.startswith(">>>") for line in block.lines)
            assert len(by_block[i]) == statements, (i, by_block[i])
        else:
            assert len(by_block[i]) == 1
        assert not any("--8<--" in s or s.startswith(">>>") for s in by_block[i])

    # Prose: every heading of the page, in the page's language, math kept, links absolute,
    # numbers rendered.
    prose = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    headings = re.findall(r"^(#{2,6} .+?)(?:\s*\{[^}]*\})?$", text, re.M)
    in_code = {h for b in blocks(text.split("\n")) for h in b.lines}
    for heading in headings:
        if heading not in in_code and "{{" not in heading:
            assert heading in prose, heading
    if lang == "zh":
        assert CJK.search(prose)
    else:  # Chinese only where the English page quotes it (the original notebook's comments)
        quoted = set(re.findall(r"[\u4e00-\u9fff]+", text))
        assert set(re.findall(r"[\u4e00-\u9fff]+", prose)) <= quoted
    assert "$" in prose or "$" not in text
    assert not RELATIVE_LINK.search(prose), RELATIVE_LINK.search(prose)
    for leftover in ("{{", "<!--", "!!! ", "<form", 'markdown="'):
        assert leftover not in prose, leftover


@pytest.mark.build
def test_each_result_of_a_session_shows(built_site: Path) -> None:
    # The example: this statement's result was lost when a session was one cell.
    nb = notebook_of(built_site, DOCS / "backward.md", "en")
    assert "trace.z[0].tolist(), trace.a[1].tolist()" in [c.source for c in nb.cells]


@pytest.mark.build
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_fixed_notebook_gets_the_install_cell(built_site: Path, lang: str) -> None:
    folder = built_site / ("zh" if lang == "zh" else "") / "notebooks" / "fixed_notebook"
    nb = nbformat.read(folder / "fixed_notebook.ipynb", as_version=4)
    assert nb.cells[1].metadata["backpropdoc"] == "install"
    prose = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert not RELATIVE_LINK.search(prose)
    assert bool(CJK.search(prose)) == (lang == "zh")
