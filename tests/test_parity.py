"""Chinese pages carry exactly the English pages' code.

This is what lets tests/doc_examples.py skip `*.zh.md`: every English page has a
Chinese twin whose ```python blocks are byte-identical and in the same order,
so the code Sybil runs on the English page is the code on the Chinese page.
"""

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
ENGLISH = sorted(p for p in DOCS.rglob("*.md") if not p.name.endswith(".zh.md"))
NOTEBOOKS = sorted(p for p in (DOCS / "notebooks").glob("*.py") if not p.name.endswith(".zh.py"))
# A ```python fence (at any indentation), up to the matching closing fence.
PYTHON_BLOCK = re.compile(r"^([ \t]*)(`{3,})python[ \t]*\n(.*?)^\1\2[ \t]*$", re.M | re.S)


def twin(path: Path) -> Path:
    return path.with_name(f"{path.stem}.zh{path.suffix}")


def python_blocks(path: Path) -> list[str]:
    return [m.group(3) for m in PYTHON_BLOCK.finditer(path.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("page", ENGLISH, ids=lambda p: str(p.relative_to(DOCS)))
def test_zh_twin_has_identical_code(page: Path) -> None:
    zh = twin(page)
    assert zh.exists(), f"{page.relative_to(DOCS)} has no Chinese twin {zh.name}"
    assert python_blocks(zh) == python_blocks(page), (
        f"{zh.name}: ```python blocks differ from {page.name} (they must be byte-identical, "
        "in the same order; translate prose and comments outside the code only)"
    )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_zh_twin(notebook: Path) -> None:
    assert twin(notebook).exists(), f"notebooks/{notebook.name} has no twin {twin(notebook).name}"


def test_every_zh_page_has_an_english_original() -> None:
    for zh in DOCS.rglob("*.zh.md"):
        assert zh.with_name(zh.name.replace(".zh.md", ".md")).exists(), zh
