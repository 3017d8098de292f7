"""Render doctest sessions as `pycon` so the copy button copies only code.

Pages write every Python block as ```python (that is what Sybil runs). A block
whose first line starts with `>>>` is a doctest session; highlighted as plain
Python its prompts and output would be copied too. For rendering only, this
hook switches such fences to ```pycon: Pygments then marks prompts `.gp` and
output `.go`, which docs/stylesheets/extra.css hides while Material copies.

Hiding by class is not enough: Pygments marks a traceback `.gt`/`.gr`/`.c`,
not `.go`. So each pycon block's wrapper also gets `data-copy`, which
Material's copy button copies instead of the block's text when present: the
session's statements, prompts and output removed (the CSS stays as a fallback).
"""

import html
import logging
import re

from _fences import blocks, doctest_to_code
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

log = logging.getLogger(f"mkdocs.hooks.{__name__}")

PYCON = re.compile(r'<div class="language-pycon highlight">')

_sessions: dict[str, list[str]] = {}  # page src_uri -> code of each pycon block, in order


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    lines = markdown.split("\n")
    sessions = []
    for block in blocks(lines):
        if block.info == "python" and block.is_doctest:
            lines[block.opening] = f"{block.indent}{block.fence}pycon"
        if block.info in ("python", "pycon") and block.is_doctest:
            # No try/except around statements that raise: the copied block
            # should raise the very error the page shows, like the session.
            sessions.append("\n".join(doctest_to_code(block.lines, catch=False)))
    _sessions[page.file.src_uri] = sessions
    return "\n".join(lines)


def on_page_content(html_: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    sessions = _sessions.pop(page.file.src_uri, [])
    # Blocks are matched to sessions by position: if the counts differ (a
    # pycon block we did not see, or a session that was not rendered), the
    # n-th block would copy another block's code; keep the CSS fallback then.
    if len(PYCON.findall(html_)) != len(sessions):
        if sessions:
            log.warning("%s: doctest blocks and pycon blocks differ", page.file.src_uri)
        return html_
    code = iter(sessions)
    return PYCON.sub(lambda m: f'{m.group(0)[:-1]} data-copy="{html.escape(next(code))}">', html_)
