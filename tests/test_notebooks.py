"""The jupytext notebooks under docs/notebooks/ ran at build time, cleanly, and their pages show
what their prose promises.

mkdocs-jupyter executes every notebook while the site builds (``execute: true``,
``allow_errors: false``: a cell that raises fails ``mkdocs build --strict``). These tests read
the outputs off the built pages, so what is checked is what readers see, and the notebooks are
not run a second time.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import jupytext
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.py"))
ENGLISH = [path for path in NOTEBOOKS if not path.name.endswith(".zh.py")]

# Lines a notebook must print, by file name: the results its markdown cells talk about.
EXPECTED_OUTPUT = {
    "fixed_notebook.py": [
        "a^(1) = [2.0, 2.0, 0.0]",
        "y = 4.0",
        "l = 0.5",
        "dl/dw11 = -2.0",
        "dl/dw12 = -3.0",
        "dl/dw31 = 0.0",
        "any None: False",
        "W^(1) = [[2.0, 1.5], [2.0, 1.5], [0.0, 0.0]]",
        "W^(2) = [[2.0, 2.0, 0.0]]",
        "still leaves: True",
        "gradients cleared: True",
        "l after one step with lr = 0.5: 496.125",
        "max difference between autograd and manual_gradients: 0.0",
        "gradients agree: True",
        "same losses: True",
        "same weights: True",
    ],
    # The Chinese twin runs the same code (tests/test_parity.py) with Chinese labels.
    "fixed_notebook.zh.py": [
        "a^(1) = [2.0, 2.0, 0.0]",
        "y = 4.0",
        "l = 0.5",
        "dl/dw11 = -2.0",
        "dl/dw12 = -3.0",
        "dl/dw31 = 0.0",
        "有没有 None： False",
        "W^(1) = [[2.0, 1.5], [2.0, 1.5], [0.0, 0.0]]",
        "W^(2) = [[2.0, 2.0, 0.0]]",
        "仍是叶子张量： True",
        "梯度已清空： True",
        "以 lr = 0.5 走一步之后的 l： 496.125",
        "自动微分与 manual_gradients 的最大差值： 0.0",
        "梯度一致： True",
        "损失相同： True",
        "权重相同： True",
    ],
}

# nbconvert's output areas: <div class="... jp-OutputArea-output" data-mime-type="..."> <pre>
OUTPUT = re.compile(
    r'<div class="[^"]*\bjp-OutputArea-output\b[^"]*" data-mime-type="([^"]+)"[^>]*>\s*'
    r"<pre[^>]*>(.*?)</pre>",
    re.S,
)
TAG = re.compile(r"<[^>]+>")


def outputs(page: Path) -> list[tuple[str, str]]:
    """(MIME type, text) of every output shown on a built notebook page."""
    found = OUTPUT.findall(page.read_text(encoding="utf-8"))
    return [(mime, html.unescape(TAG.sub("", text))) for mime, text in found]


def page_of(site: Path, lang: str, source: Path) -> Path:
    return site / ("zh/" if lang == "zh" else "") / "notebooks" / source.stem / "index.html"


def test_there_are_notebooks() -> None:
    assert ENGLISH, "docs/notebooks/ holds no jupytext notebooks"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_header_names_the_python3_kernel(path: Path) -> None:
    # mkdocs-jupyter runs the kernel the header names; without a header it uses python3.
    kernelspec = jupytext.read(path).metadata.get("kernelspec", {})
    assert kernelspec.get("name", "python3") == "python3"
    assert "# %%" in path.read_text(encoding="utf-8"), "not in jupytext percent format"


@pytest.mark.build
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("source", ENGLISH, ids=lambda path: path.name)
def test_page_shows_the_promised_results_and_nothing_on_stderr(
    built_site: Path, source: Path, lang: str
) -> None:
    shown = outputs(page_of(built_site, lang, source))
    assert shown, "the notebook shows no output: was it executed?"
    # Warnings and tracebacks are stderr / error outputs: a clean notebook shows none.
    assert {mime for mime, _ in shown} == {"text/plain"}, shown
    printed = "".join(text for _, text in shown)
    name = source.name if lang == "en" else f"{source.stem}.{lang}{source.suffix}"
    missing = [line for line in EXPECTED_OUTPUT.get(name, []) if line not in printed]
    assert not missing, f"{source.name} ({lang}) did not print: {missing}"
