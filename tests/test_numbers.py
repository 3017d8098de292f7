"""Every result a page states is computed: no number typed by hand, every marker renders.

The rule (README, "Writing pages"): a result in prose, a table, math, an admonition or a caption
is a ``{{ expr }}`` marker that the build fills from the page's own code; only labels are typed.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.page_numbers import page_typed_numbers, typed_numbers

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md")) + sorted((DOCS / "notebooks").glob("*.py"))
sys.path.insert(0, str(DOCS / "hooks"))

import facts  # noqa: E402  (a docs hook, importable once its folder is on the path)


def _ids(paths: list[Path]) -> list[str]:
    return [str(path.relative_to(DOCS)) for path in paths]


@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_page_types_no_result_numbers(page: Path) -> None:
    found = page_typed_numbers(page)
    assert not found, "numbers typed by hand (write a {{ expr }} marker):\n" + "\n".join(
        map(str, found)
    )


MARKED = [page for page in PAGES if page.suffix == ".md" and "{{" in page.read_text("utf-8")]


@pytest.mark.parametrize("page", MARKED, ids=_ids(MARKED))
def test_every_marker_renders_from_the_page_code(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    body = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.DOTALL)
    rendered = facts.render(body, str(page), page.name)
    outside_code = facts.FENCE.sub("", rendered)
    assert "{{" not in re.sub(r"`[^`\n]+`", "", outside_code)


# The lint itself: each kind of place a result can hide is caught, and labels are not.
CAUGHT = {
    "a sentence": "The loss after one step is 496.125, far too large.",
    "a Chinese sentence": "损失从 0.5 变成了 496.125。",
    "a table cell": "| step | loss |\n|---|---|\n| first | 0.3125 |",
    "inline math": "So $y - Y = -1$ here.",
    "display math": "$$\nl = \\frac{1}{2}(4 - 5)^2\n$$",
    "an admonition": '!!! note "Check"\n    The gradient is -2 for this weight.',
    "a figure caption": "![The loss sticks at 12.5 after two steps](loss.svg)",
    "a heading": "## All 13 parameters",
    "a relu' value that is a result": "so the gradient of $w_{31}^{(1)}$ is 0.",
    "a step count": "after 200 steps the loss is tiny",
}
EXEMPT = {
    "indices": "$w_{11}^{(1)}$, $z_3^{(1)}$, $x_1$ and $\\delta^{(l+1)}$",
    "names with digits": "BP1 and BP2 on the 2-3-1 network, float64, x1",
    "which neuron": "neuron 3 of layer 2, 第 3 个神经元, 第 2 层",
    "versions and years": "PyTorch 2.13 and Python 3.11, since 2024",
    "the ½ of the loss": "$l = \\frac{1}{2}(y - Y)^2$, $\\tfrac12$, ½",
    "relu's definition": (
        "$\\operatorname{relu}'(z) = \\begin{cases} 1 & z > 0 \\\\ 0 & z < 0 \\end{cases}$"
    ),
    "markers and code": "The loss is {{ loss :.4g }} and `train(net, x, 5.0, lr=0.5)` prints it.",
    "shapes": "a 3×2 matrix, a weight of shape (3, 2)",
    "list items": "1. The notation\n2. The forward pass",
}


@pytest.mark.parametrize("text", CAUGHT.values(), ids=CAUGHT.keys())
def test_a_typed_result_is_caught(text: str) -> None:
    assert typed_numbers(text)


@pytest.mark.parametrize("text", EXEMPT.values(), ids=EXEMPT.keys())
def test_a_label_is_not_a_result(text: str) -> None:
    assert typed_numbers(text) == []
