"""The Chinese edition uses one word per concept and Chinese typography.

The glossary (docs/glossary.zh.md) names each concept once; the variants below are the
words the pages once used beside it, and none may come back. Typography: no synthetic
italics on Chinese (Chinese fonts have none: use bold or 「」), no line hard-wrapped
between two Chinese characters (the browser turns the line break into a stray space),
and full-width punctuation next to Chinese text.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import jupytext
import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
GLOSSARY = DOCS / "glossary.zh.md"
CJK = "\u3400-\u4dbf\u4e00-\u9fff"
# Full-width punctuation (、。「」（）：，...), and with the characters and “”, all that is wide.
PUNCTUATION = "\u3000-\u303f\uff00-\uffef"
WIDE = CJK + PUNCTUATION + "\u2014\u2018-\u201d\u2026"

# variant -> the one term the glossary uses (it must be a glossary entry).
VARIANTS = {
    "折角": "折点",
    "预激活值": "加权和",
    "预激活": "加权和",
    "线性整流": "修正线性单元（ReLU）",
    "整流线性": "修正线性单元（ReLU）",
    "处于关闭状态": "未被激活",
    "关闭的神经元": "未被激活",
    "已死亡": "死亡神经元",
    "种子": "原笔记本",
    "自动求导": "自动微分",
}
# Where a variant may stand: the glossary names 自动求导 as the alias of 自动微分.
ALLOWED = {("glossary.zh.md", "自动求导")}


def zh_sources() -> list[Path]:
    return sorted([*DOCS.rglob("*.zh.md"), *DOCS.rglob("*.zh.py")])


def prose(path: Path, *, keys: bool = False) -> str:
    """The text a reader reads as prose: Markdown without code, math, HTML comments or
    URLs (a notebook's Markdown cells; code cells and ```python blocks are code)."""
    if path.suffix == ".py":
        cells = jupytext.read(path, fmt="py:percent").cells
        text = "\n\n".join(cell.source for cell in cells if cell.cell_type == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    text = re.sub(r"^---\n.*?\n---\n", "", text, flags=re.S)  # front matter
    text = re.sub(r"^([ \t]*)(`{3,})python.*?^\1\2[ \t]*$", "", text, flags=re.M | re.S)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$", "$$", text, flags=re.S)
    text = re.sub(r"`[^`\n]+`", "`c`", text)
    text = re.sub(r"\$[^$\n]+\$", "$m$", text)
    text = re.sub(r"\{\{.*?\}\}", "{n}", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    if keys:  # keep the lines that start a YAML key or an admonition as they are
        return text
    text = re.sub(r'^(\s*)!!! [\w-]+ "(.*)"', r"\1\2", text, flags=re.M)  # admonition titles
    return re.sub(r"^(\s*)(?:- )?[\w-]+: (?:\|-?)?", r"\1", text, flags=re.M)  # exercises' keys


def glossary_terms(path: Path = GLOSSARY, column: int = 1) -> set[str]:
    """The Chinese term of each row (its symbol and a named alias, 又称…, set aside)."""
    rows = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("| ")]
    cells = [row.split("|")[column] for row in rows[2:]]
    return {re.sub(r"\s*\$.*?\$|（又称[^）]*）", "", cell).strip() for cell in cells}


def test_the_glossary_holds_every_preferred_term() -> None:
    terms = glossary_terms()
    missing = sorted({term for term in VARIANTS.values() if term not in terms})
    assert not missing, f"glossary.zh.md has no entry for {missing}"
    # Both glossaries give the same Chinese term for each concept.
    english = glossary_terms(DOCS / "glossary.md", 2)
    assert english == terms, f"glossary.md and glossary.zh.md differ: {sorted(english ^ terms)}"


@pytest.mark.parametrize("path", zh_sources(), ids=lambda p: str(p.relative_to(DOCS)))
def test_one_word_per_concept(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = [
        f"{variant!r} (say {term!r})"
        for variant, term in VARIANTS.items()
        if variant in text and (path.name, variant) not in ALLOWED
    ]
    # The original notebook's homophone slip may be named, in quotes, as a slip.
    found += [f"{m.group()!r} (say '偏置')" for m in re.finditer(r"(?<!“)偏执", text)]
    assert not found, f"{path.name} uses {', '.join(found)}"


@pytest.mark.parametrize("path", zh_sources(), ids=lambda p: str(p.relative_to(DOCS)))
def test_no_italics_on_chinese(path: Path) -> None:
    text = prose(path)
    # Emphasis with one * or _ (bold's ** is fine); \w would match Chinese characters.
    italics = re.findall(
        rf"(?<![*_A-Za-z0-9])[*_](?![*_\s])[^*_\n]*[{CJK}][^*_\n]*(?<![*_\s])[*_](?![*_A-Za-z0-9])",
        text,
    )
    assert not italics, f"{path.name}: Chinese in italics (use **bold** or 「」): {italics}"


@pytest.mark.parametrize("path", zh_sources(), ids=lambda p: str(p.relative_to(DOCS)))
def test_no_line_break_between_chinese_characters(path: Path) -> None:
    lines = prose(path, keys=True).split("\n")
    block = re.compile(r"^\s*([-*+] |\d+\. |#|\||>|<|!!!|```|\$\$|[\w-]+:)")
    broken = [
        f"{before.strip()[-12:]}⏎{after.strip()[:12]}"
        for before, after in itertools.pairwise(lines)
        if re.search(f"[{WIDE}]$", before.rstrip())
        and after.strip()
        and not block.match(after)
        and (
            re.match(f"[{WIDE}]", after.strip()) or re.search(f"[{PUNCTUATION}]$", before.rstrip())
        )
    ]
    assert not broken, f"{path.name}: a line break in Chinese text makes a stray space: {broken}"


@pytest.mark.parametrize("path", zh_sources(), ids=lambda p: str(p.relative_to(DOCS)))
def test_full_width_punctuation_in_chinese_text(path: Path) -> None:
    text = prose(path)
    ascii_marks = re.findall(
        rf"[{CJK}][,:;!?]|[,;:!?] ?[{CJK}]|\"[{CJK}]|[{CJK}]\"|\([{CJK}]|[{CJK}]\)", text
    )
    assert not ascii_marks, f"{path.name}: ASCII punctuation in Chinese text: {ascii_marks}"


def test_the_rules_catch_what_they_name(tmp_path: Path) -> None:
    page = tmp_path / "x.zh.md"
    page.write_text("这是*次梯度*。\n一行在这里断开\n接着写, 用了半角逗号\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="italics"):
        test_no_italics_on_chinese(page)
    with pytest.raises(AssertionError, match="stray space"):
        test_no_line_break_between_chinese_characters(page)
    with pytest.raises(AssertionError, match="ASCII punctuation"):
        test_full_width_punctuation_in_chinese_text(page)
    page.write_text("折角和预激活值\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="折点"):
        test_one_word_per_concept(page)
