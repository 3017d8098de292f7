"""Render doctest sessions as `pycon` so the copy button copies only code.

Pages write every Python block as ```python (that is what Sybil runs). A block
whose first line starts with `>>>` is a doctest session; highlighted as plain
Python its prompts and output would be copied too. For rendering only, this
hook switches such fences to ```pycon: Pygments then marks prompts `.gp` and
output `.go`, which docs/stylesheets/extra.css hides while Material copies.
"""

from _fences import blocks
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    lines = markdown.split("\n")
    for block in blocks(lines):
        if block.info == "python" and block.is_doctest:
            lines[block.opening] = f"{block.indent}{block.fence}pycon"
    return "\n".join(lines)
