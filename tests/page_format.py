"""The pages' Python code is formatted like source, at a width that a code block shows whole.

At a 1280 px window a code block holds 80 monospace characters on a Markdown page and 79 on a
notebook page (measured in Chromium by tests/browser/test_code_width.py, which also checks that
no block scrolls sideways). The pages' code is formatted with ruff to ``LINE_LENGTH`` (76)
characters, a little room left for a wider font: the project's ruff settings with that line
length, ``docs/code-blocks.toml``.

- A plain ```` ```python ```` block is formatted as a file.
- A doctest session: each statement is formatted on its own at ``LINE_LENGTH - 4`` (its
  ``>>> `` / ``... `` prompt takes the other 4); a one-line statement too long with a comment
  at its end gets the comment on a line of its own above it. Each printed line is at most
  ``OUTPUT_LENGTH`` long: the page's code rounds or formats what it prints to keep it so, and
  a long exception message is wrapped (the doc tests normalize whitespace).
- A block that includes package source (``--8<-- "file.py:section"``) shows that source, which
  is formatted with the package (line length 100), so its lines are only checked for length.
- Notebook pages (``docs/notebooks/*.py``) are formatted by ``ruff format`` itself, with
  ``docs/notebooks/ruff.toml`` (code-blocks.toml plus the 100-character limit for the Markdown
  cells' comments).

Reformat the pages in place (both editions: a Chinese page carries the English page's code,
byte for byte, so it gets the same result) and list the lines left too long::

    .venv/bin/python tests/page_format.py
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import tempfile
import tokenize
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
CONFIG = DOCS / "code-blocks.toml"
NOTEBOOK_CONFIG = DOCS / "notebooks" / "ruff.toml"
PROMPT = 4  # ">>> " and "... "

sys.path.insert(0, str(DOCS / "hooks"))
from _fences import Block, blocks  # noqa: E402  (the hooks' folder is not a package)


def line_length(config: Path = CONFIG) -> int:
    match = re.search(r"^line-length\s*=\s*(\d+)", config.read_text(encoding="utf-8"), re.M)
    if match is None:
        raise ValueError(f"{config} sets no line-length")
    return int(match[1])


LINE_LENGTH = line_length()
# Printed lines are not reformatted: the package's own text (a chain written out over several
# lines) may use a Markdown block's full width. An exception's message is wrapped (the doc
# tests normalize whitespace), a long value printed shorter by the code.
OUTPUT_LENGTH = 80


@dataclass
class Example:
    """One doctest example: its statement (prompts removed) and what it prints."""

    source: list[str]
    want: list[str]
    ellipsis_line: bool  # the statement ends with a bare "..." line, as typed in a shell

    def lines(self, source: list[str] | None = None) -> list[str]:
        source = self.source if source is None else source
        shown = [(">>> " if i == 0 else "... ") + line for i, line in enumerate(source)]
        shown = [line.rstrip() for line in shown]  # an empty line is a bare "..."
        return shown + (["..."] if self.ellipsis_line else []) + self.want


def session(lines: list[str]) -> list[Example | str]:
    """A doctest block as examples, and the other lines (blank ones) between them."""
    out: list[Example | str] = []
    i = 0
    while i < len(lines):
        if not lines[i].startswith(">>>"):
            out.append(lines[i])
            i += 1
            continue
        source = [lines[i][4:]]
        i += 1
        while i < len(lines) and (lines[i].startswith("... ") or lines[i] == "..."):
            source.append(lines[i][4:])
            i += 1
        ellipsis_line = len(source) > 1 and source[-1] == ""
        if ellipsis_line:
            source.pop()
        want = []
        while i < len(lines) and lines[i].strip() and not lines[i].startswith(">>>"):
            want.append(lines[i])
            i += 1
        out.append(Example(source, want, ellipsis_line))
    return out


def hoist_comments(parts: list[Example | str]) -> list[Example | str]:
    """A one-line statement too long for the block with a comment at its end: the comment goes
    on a line of its own above it (ruff would split the statement and leave the comment
    dangling after its closing bracket)."""
    out: list[Example | str] = []
    for part in parts:
        if isinstance(part, Example) and len(part.source) == 1:
            line = part.source[0]
            comment = _trailing_comment(line)
            if comment is not None and display_width(line) > LINE_LENGTH - PROMPT:
                code = line[: line.rindex(comment)].rstrip()
                out += [Example([comment], [], False), Example([code], part.want, False)]
                continue
        out.append(part)
    return out


def _trailing_comment(line: str) -> str | None:
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(line).readline))
    except (tokenize.TokenError, SyntaxError):
        return None
    comments = [t for t in tokens if t.type == tokenize.COMMENT]
    code = [t for t in tokens if t.type not in _NOT_CODE]
    if len(comments) == 1 and code and code[-1].end <= comments[0].start:
        return comments[0].string
    return None


_NOT_CODE = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.ENDMARKER}


def ruff_format(sources: list[str], length: int) -> list[str]:
    """Each source formatted by ruff, as a file, with code-blocks.toml at ``length``."""
    if not sources:
        return []
    with tempfile.TemporaryDirectory() as tmp:
        paths = [Path(tmp, f"block_{i}.py") for i in range(len(sources))]
        for path, source in zip(paths, sources, strict=True):
            path.write_text(source, encoding="utf-8")
        command = [sys.executable, "-m", "ruff", "format", "--no-cache", "--quiet"]
        command += ["--config", str(CONFIG), "--line-length", str(length), *map(str, paths)]
        done = subprocess.run(command, capture_output=True, text=True, cwd=tmp)
        if done.returncode != 0:
            raise ValueError(f"ruff format failed:\n{done.stderr}")
        return [path.read_text(encoding="utf-8") for path in paths]


def _text(lines: list[str]) -> str:
    return "\n".join(lines).strip("\n") + "\n"


@dataclass
class Page:
    """A page's ```python blocks, each as it should read when formatted."""

    path: Path
    lines: list[str]
    found: list[tuple[Block, list[str]]]  # (block, its formatted content lines)

    @property
    def unformatted(self) -> list[tuple[Block, list[str]]]:
        return [(block, want) for block, want in self.found if want != block.lines]

    def formatted_text(self) -> str:
        lines = list(self.lines)
        for block, want in reversed(self.found):
            start = block.opening + 1
            shown = [block.indent + line if line else "" for line in want]
            lines[start : start + len(block.lines)] = shown
        return "\n".join(lines)


def python_blocks(path: Path) -> list[Block]:
    lines = path.read_text(encoding="utf-8").split("\n")
    return [b for b in blocks(lines) if b.info == "python"]


def format_pages(paths: list[Path]) -> list[Page]:
    """Every ```python block of ``paths``, formatted (without touching the files)."""
    pages = []
    statements: list[str] = []  # every doctest statement, formatted in one ruff run
    files: list[str] = []  # every plain block
    plan = []
    for path in paths:
        lines = path.read_text(encoding="utf-8").split("\n")
        found = [b for b in blocks(lines) if b.info == "python"]
        for block in found:
            if any("--8<--" in line for line in block.lines):
                plan.append((block, "include", None))
            elif block.is_doctest:
                parts = hoist_comments(session(block.lines))
                first = len(statements)
                statements += [_text(p.source) for p in parts if isinstance(p, Example)]
                plan.append((block, "doctest", (parts, first)))
            else:
                plan.append((block, "file", len(files)))
                files.append(_text(block.lines))
        pages.append((path, lines, found))
    formatted_statements = ruff_format(statements, LINE_LENGTH - PROMPT)
    formatted_files = ruff_format(files, LINE_LENGTH)

    wanted: dict[int, list[str]] = {}
    for block, kind, where in plan:
        if kind == "include":
            want = block.lines
        elif kind == "file":
            want = formatted_files[where].rstrip("\n").split("\n")
        else:
            parts, i = where
            want = []
            for part in parts:
                if isinstance(part, str):
                    want.append(part)
                    continue
                want += part.lines(formatted_statements[i].rstrip("\n").split("\n"))
                i += 1
        wanted[id(block)] = want
    return [Page(path, lines, [(b, wanted[id(b)]) for b in found]) for path, lines, found in pages]


def shown_lines(block: Block) -> list[str]:
    """The lines a reader sees in the block: an included section's source, expanded."""
    if not any("--8<--" in line for line in block.lines):
        return block.lines
    from doc_examples import SNIPPETS  # the pages' pymdownx.snippets settings

    return list(SNIPPETS.run(block.lines))


def too_long(path: Path) -> list[str]:
    """Lines of the page's Python blocks that a reader could not see whole."""
    found = []
    for block in python_blocks(path):
        code = _code_lines(block)
        for i, line in enumerate(shown_lines(block)):
            if display_width(line) > (LINE_LENGTH if i in code else OUTPUT_LENGTH):
                found.append(f"{path.relative_to(ROOT)}:{block.opening + 1}: {line}")
    return found


def _code_lines(block: Block) -> set[int]:
    """Which of the block's shown lines are code (all but a doctest's printed output)."""
    if not block.is_doctest:
        return set(range(len(shown_lines(block))))
    return {i for i, line in enumerate(block.lines) if line.startswith((">>>", "..."))}


def notebook_too_long(path: Path) -> list[str]:
    """Lines of the notebook's code cells that a reader could not see whole."""
    import jupytext

    cells = [c for c in jupytext.read(path).cells if c.cell_type == "code"]
    lines = [line for cell in cells for line in cell.source.split("\n")]
    name = path.relative_to(ROOT)
    return [f"{name}: {line}" for line in lines if display_width(line) > LINE_LENGTH]


def notebooks() -> list[Path]:
    return sorted((DOCS / "notebooks").glob("*.py"))


def display_width(line: str) -> int:
    """Characters as a monospace font shows them: CJK ones take two columns (as in ruff)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def pages() -> list[Path]:
    return sorted(DOCS.glob("*.md"))


def main() -> int:
    for page in format_pages(pages()):
        if page.unformatted:
            page.path.write_text(page.formatted_text(), encoding="utf-8")
            print(f"reformatted {len(page.unformatted)} blocks: {page.path.relative_to(ROOT)}")
    command = [sys.executable, "-m", "ruff", "format", str(DOCS / "notebooks")]
    subprocess.run(command, check=True, cwd=ROOT)
    long = [line for path in pages() for line in too_long(path)]
    long += [line for path in notebooks() for line in notebook_too_long(path)]
    print("\n".join(["lines still too long (shorten by hand):", *long]) if long else "all fit")
    return 1 if long else 0


if __name__ == "__main__":
    sys.exit(main())
