"""Draw the loss curves of the gradient-descent page at build time, from ``backpropdoc.train``.

The figures are generated files (not committed), so they always show what the package does now.
The SVG is byte-identical from one build to the next.
"""

from __future__ import annotations

import functools
import io
import warnings
from typing import Any

import matplotlib

matplotlib.use("svg")

import matplotlib.pyplot as plt
from mkdocs.structure.files import File, Files

from backpropdoc import Network, notebook_network, train

STEPS = 20
# Loss values of exactly 0 cannot be drawn on a log axis; this is far below anything visible.
FLOOR = 1e-16

LABELS = {
    "en": {
        "relu": "ReLU output (the seed network)",
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


def _curves() -> dict[str, dict[float, list[float]]]:
    seed = notebook_network()
    identity = Network(seed.weights, seed.biases, output_activation="identity")
    return {
        "relu": {lr: train(seed, [2.0, 3.0], 5.0, lr, STEPS).losses for lr in (0.5, 0.05, 0.02)},
        "identity": {lr: train(identity, [2.0, 3.0], 5.0, lr, STEPS).losses for lr in (0.5, 0.02)},
    }


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
    curves = _curves()
    return {
        suffix: _svg(curves, LABELS[language]) for language, suffix in (("en", ""), ("zh", "-zh"))
    }


def on_files(files: Files, config: Any) -> Files:
    for suffix, svg in _figures().items():
        files.append(File.generated(config, f"assets/figures/loss-curves{suffix}.svg", content=svg))
    return files
