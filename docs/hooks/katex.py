"""Render every formula to MathML at build time with KaTeX: no math JavaScript in the browser.

KaTeX comes from npm (package.json pins it; `npm ci` installs it into node_modules/) and runs
here under Node, once per build, in a long-lived process (katex_render.cjs). Pages then carry
plain MathML, which browsers draw natively and assistive technology reads: no script, no
stylesheet, no web fonts, nothing that could be fetched from another host, and no flash of
raw TeX while a page loads.

Two sources of math:
- Markdown pages: pymdownx.arithmatex (generic mode) wraps math in ``.arithmatex`` elements,
  delimited by ``\\( \\)`` and ``\\[ \\]``.
- Notebook pages (mkdocs-jupyter): markdown cells keep raw ``$...$`` and ``$$...$$``; only
  text inside rendered markdown cells is searched, so a "$" elsewhere stays a dollar sign.

A TeX error fails the build, naming the page and the formula.
"""

from __future__ import annotations

import atexit
import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parents[2]
KATEX = ROOT / "node_modules" / "katex"
RENDERER = Path(__file__).with_name("katex_render.cjs")

ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\])'
    r"</(?P=tag)>",
    re.DOTALL,
)
NOTEBOOK_MARKDOWN = re.compile(
    r'(<div class="[^"]*\bjp-RenderedMarkdown\b[^"]*"[^>]*>)(.*?)(</div>)', re.DOTALL
)
TAG = re.compile(r"(<[^>]+>)")
DOLLARS = re.compile(r"\$\$(?P<display>.+?)\$\$|\$(?P<inline>[^$\n]+?)\$", re.DOTALL)

_node: subprocess.Popen[str] | None = None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if shutil.which("node") is None:
        raise PluginError("Node.js is needed to render the math at build time (node not found).")
    if not (KATEX / "package.json").is_file():
        raise PluginError(
            f"KaTeX is missing ({KATEX} not found). Run `npm ci` in {ROOT} "
            "(or use ./scripts/serve, which does it for you)."
        )
    return config


def _render(formulas: list[tuple[str, bool]], page: Page) -> list[str]:
    global _node
    if _node is None or _node.poll() is not None:
        _node = subprocess.Popen(
            ["node", str(RENDERER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            encoding="utf-8",
        )
        atexit.register(_node.kill)
    assert _node.stdin is not None and _node.stdout is not None
    _node.stdin.write(json.dumps(formulas) + "\n")
    _node.stdin.flush()
    reply = json.loads(_node.stdout.readline())
    for (tex, _), result in zip(formulas, reply, strict=True):
        if "error" in result:
            raise PluginError(
                f"KaTeX cannot render {tex!r} on {page.file.src_uri}: {result['error']}"
            )
    return [result["html"] for result in reply]


def on_post_page(output: str, page: Page, config: MkDocsConfig, **kwargs: Any) -> str:
    formulas: list[tuple[str, bool]] = []

    def collect(tex: str, display: bool) -> str:
        formulas.append((html.unescape(tex).strip(), display))
        return f"\x00{len(formulas) - 1}\x00"

    def arithmatex(match: re.Match[str]) -> str:
        display = match["display"] is not None
        formula = collect(match["display"] if display else match["inline"], display)
        return f'<{match["tag"]} class="arithmatex">{formula}</{match["tag"]}>'

    def dollars(match: re.Match[str]) -> str:
        display = match["display"] is not None
        return collect(match["display"] if display else match["inline"], display)

    def notebook_cell(match: re.Match[str]) -> str:
        parts = TAG.split(match[2])  # only text between tags holds $...$
        parts = [p if p.startswith("<") else DOLLARS.sub(dollars, p) for p in parts]
        return match[1] + "".join(parts) + match[3]

    output = ARITHMATEX.sub(arithmatex, output)
    output = NOTEBOOK_MARKDOWN.sub(notebook_cell, output)
    if not formulas:
        return output
    rendered = _render(formulas, page)
    return re.sub("\x00(\\d+)\x00", lambda m: rendered[int(m[1])], output)
