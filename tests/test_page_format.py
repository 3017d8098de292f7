"""The pages' Python code is formatted like source, at a width that a code block shows whole.

See tests/page_format.py for the rules (and to reformat the pages: run it);
tests/browser/test_code_width.py checks in Chromium that the width fits and nothing scrolls.
"""

from __future__ import annotations

import difflib
import functools
import subprocess
import sys
from pathlib import Path

import pytest
from page_format import (
    LINE_LENGTH,
    NOTEBOOK_CONFIG,
    ROOT,
    Page,
    format_pages,
    line_length,
    notebook_too_long,
    notebooks,
    pages,
    session,
    too_long,
)

PAGES = pages()


@functools.cache
def formatted() -> dict[Path, Page]:
    """Every page formatted at once (one ruff run for all the pages' blocks)."""
    return {page.path: page for page in format_pages(PAGES)}


def test_the_pages_are_found() -> None:
    assert len(PAGES) >= 22
    assert any(path.name.endswith(".zh.md") for path in PAGES)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_python_blocks_are_ruff_formatted(path: Path) -> None:
    page = formatted()[path]
    problems = []
    for block, want in page.unformatted:
        diff = difflib.unified_diff(block.lines, want, "page", "formatted", lineterm="", n=1)
        problems.append(f"line {block.opening + 1}:\n" + "\n".join(diff))
    assert not problems, (
        f"{path.name}: blocks not formatted at {LINE_LENGTH} characters "
        f"(run .venv/bin/python tests/page_format.py):\n" + "\n\n".join(problems)
    )


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_every_shown_line_fits(path: Path) -> None:
    """Printed output and included source too: a long printed line is printed shorter."""
    assert too_long(path) == []


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.name)
def test_every_notebook_code_line_fits(path: Path) -> None:
    assert notebook_too_long(path) == []


def test_notebooks_are_formatted_at_the_pages_width() -> None:
    assert line_length(NOTEBOOK_CONFIG.parent.parent / "code-blocks.toml") == LINE_LENGTH
    assert 'extend = "../code-blocks.toml"' in NOTEBOOK_CONFIG.read_text(encoding="utf-8")
    command = [sys.executable, "-m", "ruff", "format", "--check", "--diff", "docs/notebooks"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_long_statement_is_reformatted(tmp_path: Path) -> None:
    """The check can fail: a statement longer than the block, and one typed unformatted."""
    page = tmp_path / "page.md"
    long_call = "[" + ", ".join(f"value_{i}" for i in range(12)) + "]"
    page.write_text(
        f"Text.\n\n```python\n>>> values = {long_call}\n>>> x=1\n>>> for i in range(2):\n"
        "...     print(i)\n...\n0\n1\n```\n",
        encoding="utf-8",
    )
    (result,) = format_pages([page])
    ((_, want),) = result.unformatted
    assert want[0] == ">>> values = ["
    assert all(len(line) <= LINE_LENGTH for line in want)
    assert ">>> x = 1" in want
    assert want[-5:] == [">>> for i in range(2):", "...     print(i)", "...", "0", "1"]
    assert result.formatted_text().startswith("Text.\n\n```python\n>>> values = [\n")


def test_session_keeps_outputs_and_blank_lines() -> None:
    parts = session([">>> def f():", "...     return 1", "...", ">>> f()", "1", ""])
    assert [p if isinstance(p, str) else (p.source, p.want) for p in parts] == [
        (["def f():", "    return 1"], []),
        (["f()"], ["1"]),
        "",
    ]
