"""Draw the loss curves of the gradient-descent page at build time, from the page's own code.

The page computes ``loss_curves`` with ``backpropdoc.train`` in a doctested block; this hook runs
the page (as the doc tests do) and draws exactly those numbers, so the figure, its caption and
the page's prose cannot disagree. The figures are generated files (not committed); the SVG is
byte-identical from one build to the next.
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

PAGES = {
    "en": ROOT / "docs" / "gradient-descent.md",
    "zh": ROOT / "docs" / "gradient-descent.zh.md",
}
# Loss values of exactly 0 cannot be drawn on a log axis; this is far below anything visible.
FLOOR = 1e-16

LABELS = {
    "en": {
        "relu": "ReLU output (the original network)",
        "identity": "identity output",
        "step": "step",
        "loss": "loss l (log scale)",
    },
    "zh": {
        "relu": "ReLU 输出（原笔记本的网络）",
        "identity": "恒等输出",
        "step": "步数",
        "loss": "损失 l（对数坐标）",
    },
}


def _curves(page: Path) -> dict[str, dict[float, list[float]]]:
    """The page's ``loss_curves``: for each output, the losses per step of each learning rate."""
    probe = Probe(len(page.read_text(encoding="utf-8")), "loss_curves", _as_json)
    (curves,) = run_page(page, [probe])
    return {
        kind: {float(lr): losses for lr, losses in by_lr.items()}
        for kind, by_lr in json.loads(curves).items()
    }


def _as_json(namespace: dict[str, Any]) -> str:
    return json.dumps(namespace["loss_curves"])


def _svg(curves: dict[str, dict[float, list[float]]], words: dict[str, str]) -> str:
    # Text stays text (svg.fonttype "none"): the reader's own fonts draw it, Chinese included,
    # and nothing is fetched. Salted ids keep the SVG byte-identical between builds.
    plt.rcParams.update(
        {"svg.hashsalt": "backpropdoc", "svg.fonttype": "none", "font.family": "sans-serif"}
    )
    with warnings.catch_warnings():
        # Matplotlib measures labels with its own font, which may lack Chinese glyphs; the
        # browser draws the text, so only the measurement is approximate.
        warnings.filterwarnings("ignore", "Glyph .* missing", UserWarning)
        return _draw(curves, words)


def _draw(curves: dict[str, dict[float, list[float]]], words: dict[str, str]) -> str:
    figure, axes = plt.subplots(1, 2, figsize=(9, 3.4), sharey=True)
    for ax, (kind, by_lr) in zip(axes, curves.items(), strict=True):
        for lr, losses in by_lr.items():
            ax.plot([max(v, FLOOR) for v in losses], marker="o", markersize=3, label=f"lr = {lr}")
        ax.set_yscale("log")
        ax.set_title(words[kind], fontsize=11)
        ax.set_xlabel(words["step"])
        ax.grid(alpha=0.3)
        ax.legend(fontsize=9)
    axes[0].set_ylabel(words["loss"])
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(figure)
    return buffer.getvalue()


@functools.cache
def _figures() -> dict[str, str]:
    """Both languages' figures, drawn once: mkdocs-static-i18n runs on_files once per language."""
    return {
        suffix: _svg(_curves(PAGES[language]), LABELS[language])
        for language, suffix in (("en", ""), ("zh", "-zh"))
    }


def on_files(files: Files, config: Any) -> Files:
    for suffix, svg in _figures().items():
        files.append(File.generated(config, f"assets/figures/loss-curves{suffix}.svg", content=svg))
    return files
