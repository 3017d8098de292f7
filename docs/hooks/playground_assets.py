"""Serve the playground's scripts and stylesheet without their comments.

The files in docs/assets/playground/ are commented for the people who change them; a reader's
browser only runs them, and the comments were a quarter of the playground page's weight
(benchmarks/pages.py: bytes ≤ 1.5 × a bare Material page). After the build, every line of
the copied .js files that holds nothing but a ``//`` comment is dropped, and every ``/* … */``
comment of the .css file. Nothing else changes: no line of code is touched, so a line number in
a browser's error still finds its code in the source by its text. The browser tests run on
the stripped files.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

ASSETS = Path("assets") / "playground"
JS_COMMENT_LINE = re.compile(r"^[ \t]*//.*\n", re.MULTILINE)
CSS_COMMENT = re.compile(r"/\*.*?\*/\n?", re.DOTALL)


def strip_js(source: str) -> str:
    """``source`` without its comment-only lines (a ``//`` after code stays: it may be a URL)."""
    return JS_COMMENT_LINE.sub("", source)


def strip_css(source: str) -> str:
    """``source`` without its ``/* … */`` comments."""
    return CSS_COMMENT.sub("", source)


def on_post_build(config: MkDocsConfig) -> None:
    # Each language's build calls this; stripping a stripped file changes nothing.
    folder = Path(config.site_dir) / ASSETS
    for path in sorted(folder.glob("*.js")):
        path.write_text(strip_js(path.read_text(encoding="utf-8")), encoding="utf-8")
    for path in sorted(folder.glob("*.css")):
        path.write_text(strip_css(path.read_text(encoding="utf-8")), encoding="utf-8")
