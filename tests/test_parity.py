"""Each Chinese page runs the same program as its English original.

"The same program": every ```python block of `x.zh.md` is the block of `x.md` at the
same position once comments and string literals are set aside (their syntax trees,
with every string constant replaced by one placeholder, are equal; comments are not
in the tree), and its doctest outputs print the same numbers in the same order. So a
Chinese page may translate its comments, docstrings and printed labels, and nothing
else. Sybil runs both editions (tests/doc_examples.py), so each page's outputs are
also checked against what its own code prints. The Chinese notebooks' code cells are
held to the same rule.
"""

from __future__ import annotations

import ast
import doctest
import re
from pathlib import Path

import jupytext
import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
ENGLISH = sorted(p for p in DOCS.rglob("*.md") if not p.name.endswith(".zh.md"))
NOTEBOOKS = sorted(p for p in (DOCS / "notebooks").glob("*.py") if not p.name.endswith(".zh.py"))
# A ```python fence (at any indentation), up to the matching closing fence.
PYTHON_BLOCK = re.compile(r"^([ \t]*)(`{3,})python[ \t]*\n(.*?)^\1\2[ \t]*$", re.M | re.S)
# A number as Python prints it (an int, a float, scientific notation), not part of a name
# such as w11 or x1.
NUMBER = re.compile(r"(?<![\w.])-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?![\w])")
PLACEHOLDER = "<str>"


def twin(path: Path) -> Path:
    return path.with_name(f"{path.stem}.zh{path.suffix}")


def python_blocks(path: Path) -> list[str]:
    return [m.group(3) for m in PYTHON_BLOCK.finditer(path.read_text(encoding="utf-8"))]


class _Strings(ast.NodeTransformer):
    """Replace every string constant by one placeholder, and keep format specs.

    A format spec (`f"{v:.3f}"`) decides which digits print: it is code, not wording.
    Only a label's own spec (`f"{'manual':>8}"`, padding a string constant) is wording:
    a Chinese label is narrower in characters than its English original.
    """

    def visit_Constant(self, node: ast.Constant) -> ast.Constant:
        if isinstance(node.value, str):
            return ast.copy_location(ast.Constant(PLACEHOLDER), node)
        return node

    def visit_FormattedValue(self, node: ast.FormattedValue) -> ast.FormattedValue:
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            node.format_spec = None
        node.value = self.visit(node.value)
        return node


def code_shape(source: str) -> str:
    """The syntax tree of `source` with comments gone and strings set aside."""
    return ast.dump(_Strings().visit(ast.parse(source)))


def program(block: str) -> tuple[list[str], list[list[str]]]:
    """A block's code shapes (one per doctest example, or one for plain code) and the
    numbers each doctest example's expected output prints."""
    if "--8<--" in block:  # included package source: the same file, so the same text
        return [block], []
    if not block.lstrip().startswith(">>>"):
        return [code_shape(block)], []
    examples = doctest.DocTestParser().get_examples(block)
    return (
        [code_shape(example.source) for example in examples],
        [NUMBER.findall(example.want) for example in examples],
    )


def test_program_ignores_wording_only() -> None:
    """The rule itself: wording may differ, code and printed numbers may not."""
    english = '>>> print("loss:", round(l, 3))  # the loss\nloss: 0.5\n'
    chinese = '>>> print("损失：", round(l, 3))  # 损失\n损失： 0.5\n'
    assert program(chinese) == program(english)
    assert program(english.replace("round(l, 3)", "round(l, 4)")) != program(english)
    assert program(chinese.replace("0.5", "0.25")) != program(english)
    assert program('>>> f"{v:.3f}"\n') != program('>>> f"{v:.4f}"\n')
    assert program(">>> f\"{'manual':>8}\"\n") == program(">>> f\"{'手工':>6}\"\n")
    assert program('def f():\n    """Doc."""\n    return 1\n') == program(
        'def f():\n    """说明。"""\n    return 1  # 一\n'
    )


@pytest.mark.parametrize("page", ENGLISH, ids=lambda p: str(p.relative_to(DOCS)))
def test_zh_twin_runs_the_same_program(page: Path) -> None:
    zh = twin(page)
    assert zh.exists(), f"{page.relative_to(DOCS)} has no Chinese twin {zh.name}"
    english, chinese = python_blocks(page), python_blocks(zh)
    assert len(chinese) == len(english), (
        f"{zh.name} has {len(chinese)} ```python blocks, {page.name} has {len(english)}"
    )
    for number, (en_block, zh_block) in enumerate(zip(english, chinese, strict=True), start=1):
        en_code, en_numbers = program(en_block)
        zh_code, zh_numbers = program(zh_block)
        where = f"{zh.name}, ```python block {number} (starting {zh_block[:60]!r})"
        assert zh_code == en_code, (
            f"{where}: its code differs from {page.name}'s beyond comments and strings"
        )
        assert zh_numbers == en_numbers, f"{where}: it prints other numbers than {page.name}"


def code_cells(path: Path) -> list[str]:
    cells = jupytext.read(path, fmt="py:percent").cells
    return [cell.source for cell in cells if cell.cell_type == "code"]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_zh_notebook_runs_the_same_program(notebook: Path) -> None:
    zh = twin(notebook)
    assert zh.exists(), f"notebooks/{notebook.name} has no twin {zh.name}"
    english, chinese = code_cells(notebook), code_cells(zh)
    assert len(chinese) == len(english), f"{zh.name}: {len(chinese)} code cells, not {len(english)}"
    for number, (en_cell, zh_cell) in enumerate(zip(english, chinese, strict=True), start=1):
        assert code_shape(zh_cell) == code_shape(en_cell), (
            f"{zh.name}, code cell {number}: its code differs from {notebook.name}'s "
            "beyond comments and strings"
        )


def test_every_zh_page_has_an_english_original() -> None:
    for zh in [*DOCS.rglob("*.zh.md"), *DOCS.rglob("*.zh.py")]:
        assert zh.with_name(zh.name.replace(".zh.", ".")).exists(), zh
