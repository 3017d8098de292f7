"""Let readers download each page's code as a Jupyter notebook.

For every Markdown page with ```python blocks, write `<page>.ipynb` next to the
built page: one code cell per block, in page order, doctest sessions turned
into plain code (prompts stripped, expected output dropped). Notebook pages
(mkdocs-jupyter) get their jupytext source converted to a real `.ipynb`. Either
way a download link goes at the top of the page.

Notebooks are deterministic (fixed cell ids, sorted keys), so two builds
produce byte-identical files.
"""

import html
import os
from typing import Any

import jupytext
import markdown as python_markdown
import nbformat
from _fences import blocks, doctest_to_code
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
LINK_TEXT = {
    "en": (
        "Download this page's code as a Jupyter notebook (.ipynb)",
        "Download this notebook (.ipynb)",
    ),
    # Full-width parentheses and comma in Chinese text.
    "zh": ("下载本页代码（Jupyter 笔记本，.ipynb）", "下载此笔记本（.ipynb）"),
}

_code: dict[str, list[str]] = {}  # page src_uri -> code cells, filled per build


def _is_notebook_page(page: Page) -> bool:
    return not page.file.src_uri.endswith(".md")


def _snippets(config: MkDocsConfig) -> Any:
    """pymdownx.snippets' preprocessor with mkdocs.yml's settings: a cell gets
    the package code that the page shows for a `--8<-- "file:section"` line."""
    md = python_markdown.Markdown(
        extensions=["pymdownx.snippets"],
        extension_configs={"pymdownx.snippets": config.mdx_configs.get("pymdownx.snippets", {})},
    )
    return md.preprocessors["snippet"]


def expand_snippets(source: str, config: MkDocsConfig) -> str:
    if "--8<--" not in source:
        return source
    return "\n".join(_snippets(config).run(source.split("\n")))


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not _is_notebook_page(page):
        cells = []
        for block in blocks(markdown.split("\n")):
            # doctest_fences.py (run before this hook) has made doctest fences ```pycon.
            if block.info in ("python", "pycon"):
                lines = doctest_to_code(block.lines) if block.is_doctest else block.lines
                cells.append(expand_snippets("\n".join(lines), config).strip("\n"))
        _code[page.file.src_uri] = cells
    return markdown


def _dumps(nb: nbformat.NotebookNode) -> str:
    nb.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"  # nbformat would pick random ids
        cell.metadata = {}
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


def on_page_content(html_: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if _is_notebook_page(page):
        notebook = _dumps(jupytext.read(page.file.abs_src_path))
    else:
        cells = _code.pop(page.file.src_uri, [])
        if not cells:
            return html_
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_markdown_cell(f"# {page.title}")]
        nb.cells += [nbformat.v4.new_code_cell(source) for source in cells]
        notebook = _dumps(nb)

    name = f"{page.file.name}.ipynb"
    path = os.path.join(os.path.dirname(page.file.abs_dest_path), name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(notebook)

    texts = LINK_TEXT.get(config.theme["language"], LINK_TEXT["en"])
    text = texts[1] if _is_notebook_page(page) else texts[0]
    # Raw HTML on purpose: the .ipynb is not a docs file, so a Markdown link
    # would trip `mkdocs build --strict`'s link validation.
    link = (
        f'<p class="bpd-download"><a href="{html.escape(name)}" download>'
        f"{html.escape(text)}</a></p>"
    )
    if html_.lstrip().startswith("<h1") and "</h1>" in html_:
        head, tail = html_.split("</h1>", 1)
        return f"{head}</h1>\n{link}{tail}"
    return link + html_
