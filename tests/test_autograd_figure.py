"""PyTorch's own graph on the PyTorch page: the figure is the walk of the page's `loss`, and it
shows what the text says (rebound weights are operations, w31 and w32 are not there)."""

from __future__ import annotations

import json
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "hooks"))

import autograd_graph  # noqa: E402  (docs/hooks is not a package)
from _page_code import Probe, run_page  # noqa: E402

PAGES = {"pytorch/index.html": "docs/pytorch.md", "zh/pytorch/index.html": "docs/pytorch.zh.md"}


class Nodes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.nodes: list[dict[str, str]] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "svg":
            self._inside = "bpd-autograd-svg" in found.get("class", "")
        elif self._inside and tag == "g" and "data-fn" in found:
            self.nodes.append(found)


def walked(source: str) -> list[dict[str, object]]:
    """What the hook's walk gives where the marker stands on the page, run here afresh."""
    path = ROOT / source
    offset = path.read_text(encoding="utf-8").index("<!-- autograd: loss -->")

    def summary(namespace: dict[str, object]) -> str:
        vertices, _ = autograd_graph.walk(namespace["loss"], namespace)  # type: ignore[arg-type]
        return json.dumps(
            [
                {"fn": v.kind, "name": v.name, "leaf": v.leaf, "kept": v.retains_grad}
                for v in vertices
            ]
        )

    [result] = run_page(path, [Probe(offset, "test: walk loss", summary)])
    return json.loads(result)


@pytest.mark.build
@pytest.mark.parametrize(("page", "source"), list(PAGES.items()))
def test_the_figure_is_the_walk_of_the_page_loss(built_site: Path, page: str, source: str):
    parser = Nodes()
    parser.feed((built_site / page).read_text(encoding="utf-8"))
    shown = [
        {
            "fn": n["data-fn"],
            "name": n["data-name"] or None,
            "leaf": n["data-leaf"] == "true",
            "kept": n["data-retains-grad"] == "true",
        }
        for n in parser.nodes
    ]
    assert shown == walked(source)
    # What the page says about it:
    named = {n["name"]: n for n in shown if n["name"]}
    for name in ("w12", "w21", "w22"):  # rebound: the operation that made them, no .grad
        assert named[name]["fn"] == "SubBackward0" and not named[name]["kept"]
    assert named["w11"]["fn"] == "SubBackward0" and named["w11"]["kept"]  # retain_grad()
    for name in ("w1", "w2", "w3"):
        assert named[name]["fn"] == "AccumulateGrad" and named[name]["leaf"]
    assert "w31" not in named and "w32" not in named  # cut off by the notebook's int 0
    unnamed_leaves = [n for n in shown if n["leaf"] and not n["name"]]
    assert len(unnamed_leaves) == 4  # the first run's w11, w12, w21, w22


def test_a_tensor_without_a_graph_is_refused():
    with pytest.raises(TypeError, match="must give a tensor that has a grad_fn"):
        autograd_graph.walk(torch.tensor(1.0), {})


def test_the_walk_names_leaves_and_kept_tensors_and_is_deterministic():
    w = torch.tensor(2.0, requires_grad=True)
    z = w * 3
    z.retain_grad()
    loss = (z - 1) ** 2
    namespace = {"w": w, "z": z, "loss": loss, "other": {"v": w}}
    vertices, edges = autograd_graph.walk(loss, namespace)
    assert [(v.kind, v.name, v.leaf, v.retains_grad) for v in vertices] == [
        ("PowBackward0", "loss", False, False),
        ("SubBackward0", None, False, False),
        ("MulBackward0", "z", False, True),
        ("AccumulateGrad", "v", True, False),  # the first name in sorted order
    ]
    assert edges == [(0, 1), (1, 2), (2, 3)]
    first = autograd_graph.figure(loss, namespace, "en")
    assert autograd_graph.figure(loss, namespace, "en") == first
    assert " id=" not in first
