"""Let readers download each page as a Jupyter notebook that runs anywhere.

For every Markdown page with ```python blocks, write `<page>.ipynb` next to the built page:

- a first Markdown cell with the page's title and its address on the hosted site, then a code
  cell that installs backpropdoc when the kernel lacks it (from PyPI once the version is
  released there, else the wheel this site serves: docs/hooks/wheel.py), and a CPU-only torch
  when torch is missing too;
- the page's prose as Markdown cells, in the page's language, as the page states it: numbers
  rendered by the facts hook, math as `$…$` (Jupyter renders it), admonitions as quotes (folded
  ones, such as exercise solutions, as <details>),
  links to other pages and to the site's files turned into absolute links to the hosted site;
- each ```python block as code: a plain block is one cell, a doctest session one cell per
  statement, so every result shows (a statement the page shows failing is wrapped in
  try/except, so the notebook runs top to bottom); the prompts and the expected output go.

Every code cell carries `metadata.backpropdoc`: `{"block": n}` for the n-th ```python block of
the page (0-based), `"install"` for the install cell, so tests can match cells to blocks.

Notebook pages (mkdocs-jupyter) get their jupytext source converted to a real `.ipynb`, with the
same first two cells and absolute links. Either way a download link goes at the top of the page.

Notebooks are deterministic (fixed cell ids, sorted keys), so two builds produce byte-identical
files.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import jupytext
import markdown as python_markdown
import nbformat
import wheel as site_wheel
from _fences import FENCE, doctest_to_code
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

import backpropdoc

KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
LINK_TEXT = {
    "en": (
        "Download this page as a Jupyter notebook (.ipynb)",
        "Download this notebook (.ipynb)",
    ),
    # Full-width parentheses and comma in Chinese text.
    "zh": ("下载本页（Jupyter 笔记本，.ipynb）", "下载此笔记本（.ipynb）"),
}
WORDS = {
    "en": {
        "intro": (
            "This notebook is the page [{title}]({url}) of the backpropdoc site, its prose and "
            "its code. Run the cells in order: the first one installs backpropdoc {version} "
            "where it is missing."
        ),
        "install": [
            "# backpropdoc {version} is the version these pages were built with.",
            "# Install it where this kernel lacks it: {where}.",
            "# Install a CPU-only torch first where torch is missing too (Colab has torch).",
            "# Where both are there, this cell installs nothing.",
        ],
        "pypi": "from PyPI",
        "site": "from the wheel the site serves",
        "note": "Note",
        "tip": "Tip",
        "warning": "Warning",
        "success": "Solution",
    },
    "zh": {
        "intro": (
            "本笔记本就是 backpropdoc 网站的页面「[{title}]({url})」，包含该页的文字与代码。"
            "请按顺序运行各单元格：第一个单元格会在缺少 backpropdoc {version} 时安装它。"
        ),
        "install": [
            "# 这些页面是用 backpropdoc {version} 构建的。",
            "# 若当前内核没有它，就安装它：{where}。",
            "# 若连 torch 也没有，就先装仅 CPU 版的 torch（Colab 自带 torch）。",
            "# 两者都已安装时，这个单元格什么也不装。",
        ],
        "pypi": "从 PyPI 安装",
        "site": "安装本站提供的 wheel",
        "note": "注意",
        "tip": "提示",
        "warning": "警告",
        "success": "解答",
    },
}


def words_of(config: MkDocsConfig) -> dict[str, Any]:
    return WORDS.get(config.theme["language"], WORDS["en"])


# ---------------------------------------------------------------------------
# The install cell


def install_source(config: MkDocsConfig) -> str:
    """The first code cell: installs this very version, from PyPI once it is released there
    (the Pages workflow says so: BACKPROPDOC_ON_PYPI), else from the site's own wheel."""
    words = words_of(config)
    version = backpropdoc.__version__
    if site_wheel.released_on_pypi():
        what, where = f"backpropdoc=={version}", words["pypi"]
    else:
        what, where = site_wheel.wheel_url(config), words["site"]
    comment = [line.format(version=version, where=where) for line in words["install"]]
    return "\n".join(
        [
            *comment,
            "import importlib",
            "import importlib.util",
            "import subprocess",
            "import sys",
            "",
            "",
            "def pip_install(*args):",
            '    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *args], '
            "check=True)",
            "",
            "",
            'if importlib.util.find_spec("torch") is None:',
            f'    pip_install("torch", "--index-url", "{site_wheel.TORCH_CPU_INDEX}")',
            'if importlib.util.find_spec("backpropdoc") is None:',
            f'    pip_install("{what}")',
            "    importlib.invalidate_caches()",
            "",
            "import backpropdoc",
            "",
            'print("backpropdoc", backpropdoc.__version__)',
        ]
    )


# ---------------------------------------------------------------------------
# Markdown → cells


@dataclass
class Code:
    source: str
    block: int


@dataclass
class Prose:
    lines: list[str] = field(default_factory=list)


ADMONITION = re.compile(r'^(?P<kind>!!!|\?\?\?\+?)\s+(?P<type>[\w-]+)(?:\s+"(?P<title>.*)")?\s*$')
TAB = re.compile(r'^===\+?\s+"(?P<title>.*)"\s*$')


def _closing(lines: list[str], start: int, fence: str) -> int:
    for j in range(start + 1, len(lines)):
        c = FENCE.match(lines[j])
        if (
            c
            and c["fence"][0] == fence[0]
            and len(c["fence"]) >= len(fence)
            and not c["info"].strip()
        ):
            return j
    return len(lines)


def _body(lines: list[str], start: int) -> tuple[list[str], int]:
    """The indented body of an admonition or tab at ``start``: its lines, dedented; the end."""
    j = start + 1
    while j < len(lines) and (not lines[j].strip() or lines[j].startswith("    ")):
        j += 1
    while j > start + 1 and not lines[j - 1].strip():
        j -= 1
    return [line[4:] for line in lines[start + 1 : j]], j


class Converter:
    def __init__(self, config: MkDocsConfig) -> None:
        self.config = config
        self.blocks = 0  # ```python blocks seen, in page order

    def convert(self, lines: list[str]) -> list[Prose | Code]:
        out: list[Prose | Code] = [Prose()]
        i = 0
        while i < len(lines):
            line = lines[i]
            fence = FENCE.match(line)
            if fence:
                end = _closing(lines, i, fence["fence"])
                indent = fence["indent"]
                content = [text.removeprefix(indent) for text in lines[i + 1 : end]]
                info = fence["info"].strip()
                if info in ("python", "pycon"):
                    out += self.code(content)
                else:
                    shown = "python" if re.search(r"\.py3?\b|^py$", info) else info.split()[0]
                    if isinstance(out[-1], Code):
                        out.append(Prose())
                    prose = out[-1]
                    assert isinstance(prose, Prose)
                    fence_ = fence["fence"]
                    prose.lines += [f"{indent}{fence_}{shown}", *lines[i + 1 : end]]
                    prose.lines.append(f"{indent}{fence_}")
                i = end + 1
                continue
            admonition, tab = ADMONITION.match(line), TAB.match(line)
            if admonition or tab:
                body, end = _body(lines, i)
                inner = self.convert(body)
                if admonition:
                    title = admonition["title"]
                    if title is None:
                        kind = admonition["type"]
                        title = words_of(self.config).get(kind, kind.capitalize())
                    if admonition["kind"].startswith("???") and not any(
                        isinstance(part, Code) for part in inner
                    ):
                        out += self.details(inner, title)
                    else:
                        out += self.quote(inner, title)
                else:
                    assert tab is not None
                    out += [Prose([f"**{tab['title']}**", ""]), *inner]
                out.append(Prose())
                i = end
                continue
            prose = out[-1]
            if isinstance(prose, Code):
                prose = Prose()
                out.append(prose)
            prose.lines.append(line)
            i += 1
        return merged(out)

    def quote(self, inner: list[Prose | Code], title: str) -> list[Prose | Code]:
        """An admonition as a Markdown quote with a bold title (Jupyter has no admonitions)."""
        out: list[Prose | Code] = [Prose([f"> **{title}**", ">"])]
        for part in inner:
            if isinstance(part, Code):
                out.append(part)
            else:
                out.append(Prose([f"> {line}" if line.strip() else ">" for line in part.lines]))
        return out

    def details(self, inner: list[Prose | Code], title: str) -> list[Prose | Code]:
        """A folded admonition (an exercise's solution) stays folded: HTML <details>, which
        Jupyter renders with the Markdown inside."""
        body = [line for part in inner if isinstance(part, Prose) for line in part.lines]
        return [Prose(["<details>", f"<summary>{title}</summary>", "", *body, "", "</details>"])]

    def code(self, lines: list[str]) -> list[Prose | Code]:
        block = self.blocks
        self.blocks += 1
        if not lines or not lines[0].startswith(">>>"):
            return [Code(expand_snippets("\n".join(lines), self.config).strip("\n"), block)]
        return [Code(source, block) for source in statements(lines)]


def merged(parts: list[Prose | Code]) -> list[Prose | Code]:
    """Adjacent prose in one piece (a quote's title and its text, say)."""
    out: list[Prose | Code] = []
    for part in parts:
        if isinstance(part, Prose) and out and isinstance(out[-1], Prose):
            out[-1] = Prose([*out[-1].lines, *part.lines])
        else:
            out.append(part)
    return out


def statements(lines: list[str]) -> list[str]:
    """A doctest session's statements, one source each (prompts and expected output dropped;
    a statement whose expected output is a traceback wrapped in try/except)."""
    sessions: list[list[str]] = []
    for line in lines:
        if line.startswith(">>>"):
            sessions.append([line])
        elif sessions:
            sessions[-1].append(line)
    return ["\n".join(doctest_to_code(session)).strip("\n") for session in sessions]


def _snippets(config: MkDocsConfig) -> Any:
    """pymdownx.snippets' preprocessor with mkdocs.yml's settings: a cell gets the package
    code that the page shows for a `--8<-- "file:section"` line."""
    md = python_markdown.Markdown(
        extensions=["pymdownx.snippets"],
        extension_configs={"pymdownx.snippets": config.mdx_configs.get("pymdownx.snippets", {})},
    )
    return md.preprocessors["snippet"]


def expand_snippets(source: str, config: MkDocsConfig) -> str:
    if "--8<--" not in source:
        return source
    return "\n".join(_snippets(config).run(source.split("\n")))


# ---------------------------------------------------------------------------
# Prose for Jupyter: absolute links, no site-only markup

MD_LINK = re.compile(
    r"(?P<bang>!?)\[(?P<text>[^\]\n]*)\]\((?P<target><[^>\n]*>|[^)\s]+)(?P<title>\s+\"[^\"\n]*\")?\)"
)
REF_DEFINITION = re.compile(r"^(?P<head>\s*\[[^\]\n]+\]:\s*)(?P<target>\S+)", re.M)
HTML_URL = re.compile(r'(?P<attr>\b(?:href|src))="(?P<target>[^"]*)"')
ATTR_LIST = re.compile(r"(?<=\))\{[^{}\n]*\}|[ \t]*\{[ \t]*[#.:][^{}\n]*\}[ \t]*$", re.M)
COMMENT = re.compile(r"<!--.*?-->", re.S)
MARKDOWN_DIV = re.compile(r"^\s*<div\b[^>]*\bmarkdown\b[^>]*>\s*$")
FORM = re.compile(r"<form\b.*?</form>\s*", re.S)
CODE_SPAN_OR_FENCE = re.compile(
    r"^(?P<fence>`{3,}|~{3,}).*?^(?P=fence)[ \t]*$|`[^`\n]+`", re.M | re.S
)


class Links:
    """Turns a page's relative links into absolute links to the hosted site."""

    def __init__(self, page: Page, config: MkDocsConfig, files: Files, src_uri: str) -> None:
        self.site = site_wheel.site_url(config)
        self.page_url = urljoin(self.site, page.url)
        self.files = files
        self.src_dir = posixpath.dirname(src_uri)
        language = config.theme["language"]
        self.language = "" if page.url.split("/", 1)[0] != language else f"{language}/"

    def markdown_target(self, target: str) -> str:
        """A Markdown link's target: a docs path (``notation.md#x``, ``assets/a.svg``)."""
        bracketed = target.startswith("<") and target.endswith(">")
        target = target[1:-1] if bracketed else target
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or target.startswith("/"):
            return target
        if not parts.path:
            return self.page_url + target  # #anchor on this page
        path = posixpath.normpath(posixpath.join(self.src_dir, parts.path))
        file = self.files.get_file_from_path(path)
        if file is not None:
            url = urljoin(self.site, file.url)
        elif path.endswith(".md"):  # a page this build lacks: where mkdocs would put it
            stem = path.removesuffix(".md")
            folder = "" if stem == "index" else stem.removesuffix("/index") + "/"
            url = self.site + self.language + folder
        else:
            url = self.site + path
        return url + (f"#{parts.fragment}" if parts.fragment else "")

    def html_target(self, target: str) -> str:
        """An HTML attribute's URL: relative to the built page."""
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or not target or target.startswith(("data:", "mailto:")):
            return target
        return urljoin(self.page_url, target)

    def apply(self, text: str) -> str:
        def md_link(m: re.Match[str]) -> str:
            title = m["title"] or ""
            return f"{m['bang']}[{m['text']}]({self.markdown_target(m['target'])}{title})"

        out, position = [], 0
        for code in [*CODE_SPAN_OR_FENCE.finditer(text), None]:
            end = code.start() if code else len(text)
            chunk = text[position:end]
            chunk = MD_LINK.sub(md_link, chunk)
            chunk = REF_DEFINITION.sub(
                lambda m: m["head"] + self.markdown_target(m["target"]), chunk
            )
            chunk = HTML_URL.sub(lambda m: f'{m["attr"]}="{self.html_target(m["target"])}"', chunk)
            out.append(chunk)
            if code:
                out.append(code.group())
                position = code.end()
        return "".join(out)


def clean(lines: list[str]) -> list[str]:
    """Drop what only the site can show: comments, attribute lists, the exercises' forms and
    the <div markdown> wrappers (their content stays)."""
    text = COMMENT.sub("", "\n".join(lines))
    text = FORM.sub("", text)
    text = ATTR_LIST.sub("", text)
    kept, open_divs = [], 0
    for line in text.split("\n"):
        if MARKDOWN_DIV.match(line):
            open_divs += 1
            continue
        if open_divs and line.strip() == "</div>":
            open_divs -= 1
            continue
        kept.append(line)
    return kept


def markdown_cells(lines: list[str], links: Links) -> list[nbformat.NotebookNode]:
    """One Markdown cell per section (a new cell at each heading), empty ones dropped."""
    sections: list[list[str]] = [[]]
    in_fence = None
    for line in clean(lines):
        fence = FENCE.match(line)
        if fence:
            in_fence = None if in_fence else fence["fence"]
        if not in_fence and re.match(r"^#{1,6} ", line) and any(s.strip() for s in sections[-1]):
            sections.append([])
        sections[-1].append(line)
    cells = []
    for section in sections:
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(section)).strip("\n")
        text = re.sub(r"(\n>)+$", "", text)  # a quote's trailing empty lines
        if text.strip() and text.strip() != ">":
            cells.append(nbformat.v4.new_markdown_cell(links.apply(text)))
    return cells


# ---------------------------------------------------------------------------
# MkDocs events

_notebooks: dict[str, str] = {}  # page src_uri -> notebook JSON, filled per build


def _is_notebook_page(page: Page) -> bool:
    return not page.file.src_uri.endswith(".md")


def _head(page: Page, config: MkDocsConfig, title: str) -> list[nbformat.NotebookNode]:
    words = words_of(config)
    url = urljoin(site_wheel.site_url(config), page.url)
    intro = words["intro"].format(title=title, url=url, version=backpropdoc.__version__)
    install = nbformat.v4.new_code_cell(install_source(config))
    install.metadata = {"backpropdoc": "install"}
    return [nbformat.v4.new_markdown_cell(f"# {title}\n\n{intro}"), install]


def page_notebook(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """The notebook of a Markdown page (its markdown as the hooks before this one left it),
    or None when the page has no ```python block."""
    lines = markdown.split("\n")
    title = page.title or ""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].startswith("# "):
        title = lines[first][2:].strip()
        lines = lines[first + 1 :]
    converter = Converter(config)
    parts = converter.convert(lines)
    if converter.blocks == 0:
        return None
    links = Links(page, config, files, page.file.src_uri)
    cells = _head(page, config, ATTR_LIST.sub("", title).strip())
    for part in parts:
        if isinstance(part, Code):
            cell = nbformat.v4.new_code_cell(part.source)
            cell.metadata = {"backpropdoc": {"block": part.block}}
            cells.append(cell)
        else:
            cells += markdown_cells(part.lines, links)
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    return _dumps(nb)


def jupytext_notebook(page: Page, config: MkDocsConfig, files: Files) -> str:
    nb = jupytext.read(page.file.abs_src_path)
    title = page.title or ""
    if nb.cells and nb.cells[0].cell_type == "markdown":
        first = nb.cells[0].source.split("\n")
        if first[0].startswith("# "):
            title = first[0][2:].strip()
            nb.cells[0].source = "\n".join(first[1:]).strip("\n")
    links = Links(page, config, files, page.file.src_uri)
    cells = _head(page, config, title)
    block = 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            if cell.source.strip():
                cells.append(nbformat.v4.new_markdown_cell(links.apply(cell.source)))
        elif cell.cell_type == "code":
            code = nbformat.v4.new_code_cell(cell.source)
            code.metadata = {"backpropdoc": {"block": block}}
            block += 1
            cells.append(code)
    nb.cells = cells
    return _dumps(nb)


def _dumps(nb: nbformat.NotebookNode) -> str:
    nb.metadata = {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}}
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"  # nbformat would pick random ids
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        else:
            cell.metadata = {}
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not _is_notebook_page(page):
        notebook = page_notebook(markdown, page, config, files)
        if notebook is not None:
            _notebooks[page.file.src_uri] = notebook
    return markdown


def on_page_content(html_: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if _is_notebook_page(page):
        notebook = jupytext_notebook(page, config, files)
    else:
        found = _notebooks.pop(page.file.src_uri, None)
        if found is None:
            return html_
        notebook = found

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
