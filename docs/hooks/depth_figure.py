"""Draw the gradient size per layer of the "Deeper and different" page at build time.

The page computes ``gradient_sizes`` (for each start, the norm of ∂l/∂W^(l) for every layer of
a deep network) with ``backpropdoc.manual_gradients`` in a doctested block; this hook runs the
page as the doc tests do (_page_code.py) and draws exactly those numbers, so figure and prose
cannot disagree. Generated files, byte-identical from build to build, as in figures.py.
"""

from __future__ import annotations

import functools
import io
import json
import warnings
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("svg")

import matplotlib.pyplot as plt
from _page_code import ROOT, Probe, run_page
from mkdocs.structure.files import File, Files

PAGES = {"en": ROOT / "docs" / "deeper.md", "zh": ROOT / "docs" / "deeper.zh.md"}
LABELS = {
    "en": {"layer": "layer l", "size": "size of ∂l/∂W^(l) (log scale)"},
    "zh": {
        "layer": "第 l 层",
        "size": "∂l/∂W^(l) 的大小（对数坐标）",
        # The page's names for the starts (its code, the same in both languages), in Chinese.
        "sigmoid, Xavier": "sigmoid，Xavier",
        "tanh, Xavier": "tanh，Xavier",
        "ReLU, He": "ReLU，He",
        "ReLU, std 0.6": "ReLU，标准差 0.6",
    },
}


def _sizes(page: Path) -> dict[str, list[float]]:
    probe = Probe(len(page.read_text(encoding="utf-8")), "gradient_sizes", _as_json)
    (sizes,) = run_page(page, [probe])
    result: dict[str, list[float]] = json.loads(sizes)
    return result


def _as_json(namespace: dict[str, Any]) -> str:
    return json.dumps(namespace["gradient_sizes"])


def _svg(sizes: dict[str, list[float]], words: dict[str, str]) -> str:
    # Text stays text: the reader's fonts draw it (Chinese too), and nothing is fetched.
    plt.rcParams.update(
        {"svg.hashsalt": "backpropdoc", "svg.fonttype": "none", "font.family": "sans-serif"}
    )
    figure, ax = plt.subplots(figsize=(7, 3.6))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Glyph .* missing", UserWarning)
        for name, values in sizes.items():
            layers = range(1, len(values) + 1)
            ax.plot(layers, values, marker="o", markersize=3, label=words.get(name, name))
        ax.set_yscale("log")
        ax.set_xlabel(words["layer"])
        ax.set_ylabel(words["size"])
        ax.set_xticks(range(1, len(next(iter(sizes.values()))) + 1))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=9)
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(figure)
    return buffer.getvalue()


@functools.cache
def _drawn(sizes: str, language: str) -> str:
    """Drawn once per data (on_files runs once per language; under `serve` the data changes
    when the page or the package does, and run_page's cache key covers both)."""
    return _svg(json.loads(sizes), LABELS[language])


def _figures() -> dict[str, str]:
    return {
        suffix: _drawn(json.dumps(_sizes(PAGES[language])), language)
        for language, suffix in (("en", ""), ("zh", "-zh"))
    }


def on_files(files: Files, config: Any) -> Files:
    for suffix, svg in _figures().items():
        name = f"assets/figures/gradients-per-layer{suffix}.svg"
        files.append(File.generated(config, name, content=svg))
    return files
