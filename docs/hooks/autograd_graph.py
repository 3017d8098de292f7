"""Draw ``<!-- autograd: EXPR -->`` as the graph PyTorch recorded for the tensor EXPR.

EXPR is evaluated in the page's namespace where the marker stands (like graphs.py). The hook
walks ``EXPR.grad_fn`` and each node's ``next_functions``, exactly as ``backward()`` does, and
draws every node it reaches: the operations (``MulBackward0`` …) and the ``AccumulateGrad``
nodes through which a gradient reaches a leaf tensor's ``.grad``. A node is named after the
page's variable that holds its tensor (``p["w11"]`` is ``w11``): a leaf, or a non-leaf with
``retain_grad()``. What the walk does not reach is not in the graph and gets no ``.grad``.

Arrows point the way ``backward()`` walks, from the loss to the leaves: right to left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import torch
from _page_code import PageCodeError, Probe, run_page
from facts import FENCE
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

AUTOGRAD = re.compile(r"<!-- autograd: (?P<expr>.+?) -->")

WORDS = {
    "en": {
        "label": "The graph autograd recorded, walked from the loss through next_functions: "
        "operations, and the leaves whose .grad receives a gradient.",
        "leaf": "leaf",
        "old": "leaf, no name on the page",
        "retained": "retain_grad()",
    },
    "zh": {
        "label": "自动微分记录下的计算图：从损失出发沿 next_functions 遍历，"
        "画出各个运算，以及 .grad 会收到梯度的叶子张量。",
        "leaf": "叶子",
        "old": "叶子，页面上已没有名字",
        "retained": "retain_grad()",
    },
}

BOX_W, BOX_H, PITCH, GAP, MARGIN = 150, 44, 56, 40, 12


@dataclass(frozen=True)
class Vertex:
    """One node of the recorded graph, in the order of a depth-first walk from the root."""

    key: int  # position in the walk
    kind: str  # the node's class: "MulBackward0", "AccumulateGrad", …
    name: str | None  # the page's variable for its tensor, if any
    leaf: bool
    retains_grad: bool
    depth: int  # longest distance from the root: its column
    row: int


def _names(namespace: dict[str, Any]) -> dict[int, tuple[str, torch.Tensor]]:
    """id(tensor) → (its name, tensor) for the page's tensors, and those in its dicts."""
    found: dict[int, tuple[str, torch.Tensor]] = {}
    for name, value in sorted(namespace.items()):
        if name.startswith("_"):
            continue
        items = value.items() if isinstance(value, dict) else [(name, value)]
        for key, tensor in items:
            if isinstance(tensor, torch.Tensor) and isinstance(key, str):
                found.setdefault(id(tensor), (key, tensor))
    return found


def walk(
    root: torch.Tensor, namespace: dict[str, Any]
) -> tuple[list[Vertex], list[tuple[int, int]]]:
    """Every node reachable from ``root.grad_fn``, and the edges (node → next function)."""
    if not isinstance(root, torch.Tensor) or root.grad_fn is None:
        raise TypeError("<!-- autograd: … --> must give a tensor that has a grad_fn")
    named = _names(namespace)
    # Keyed by the node, which keeps it alive: torch 2.2 makes a new Python object each time
    # a grad_fn is asked for while none is alive, so the id of one let go can come back.
    by_grad_fn = {t.grad_fn: (name, t) for name, t in named.values() if t.grad_fn is not None}
    order: list[Any] = []
    index: dict[int, int] = {}
    edges: list[tuple[int, int]] = []
    stack = [root.grad_fn]
    while stack:  # depth-first, next_functions in their order: the same walk every build
        fn = stack.pop()
        if id(fn) in index:
            continue
        index[id(fn)] = len(order)
        order.append(fn)
        children = [child for child, _ in fn.next_functions if child is not None]
        stack.extend(reversed(children))
    for fn in order:
        for child, _ in fn.next_functions:
            if child is not None:
                edges.append((index[id(fn)], index[id(child)]))
    depth = [0] * len(order)
    for _ in order:  # longest path from the root; the graph is small and has no cycles
        for a, b in edges:
            depth[b] = max(depth[b], depth[a] + 1)
    rows: dict[int, int] = {}
    vertices = []
    for key, fn in enumerate(order):
        variable = getattr(fn, "variable", None)
        if variable is not None:
            name = named.get(id(variable), (None, None))[0]
            leaf, retains = True, False
        else:
            name, tensor = by_grad_fn.get(fn, (None, None))
            leaf, retains = False, bool(tensor is not None and tensor.retains_grad)
        row = rows.get(depth[key], 0)
        rows[depth[key]] = row + 1
        vertices.append(Vertex(key, type(fn).__name__, name, leaf, retains, depth[key], row))
    return vertices, edges


def svg(vertices: list[Vertex], edges: list[tuple[int, int]], language: str) -> str:
    """The walk drawn with the root on the right and the leaves on the left."""
    words = WORDS[language]
    columns = max(v.depth for v in vertices) + 1
    rows = max(v.row for v in vertices) + 1
    width = MARGIN * 2 + columns * BOX_W + (columns - 1) * GAP
    height = MARGIN * 2 + rows * PITCH - (PITCH - BOX_H)

    def centre(v: Vertex) -> tuple[float, float]:
        x = MARGIN + (columns - 1 - v.depth) * (BOX_W + GAP) + BOX_W / 2
        return x, MARGIN + v.row * PITCH + BOX_H / 2

    parts = []
    for a, b in edges:
        (x1, y1), (x2, y2) = centre(vertices[a]), centre(vertices[b])
        x1, x2 = x1 - BOX_W / 2, x2 + BOX_W / 2 + 8
        parts.append(
            f'<g class="bpd-edge"><line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}"/>'
            f'<path d="M{x2 - 8:g} {y2:g}L{x2:g} {y2 - 4:g}L{x2:g} {y2 + 4:g}Z"/></g>'
        )
    for v in vertices:
        x, y = centre(v)
        if v.leaf:
            second = f"{words['leaf']} {v.name}" if v.name else words["old"]
        elif v.retains_grad:
            second = f"{v.name}: {words['retained']}"
        else:
            second = v.name or ""
        classes = (
            "bpd-node" + (" bpd-leaf" if v.leaf else "") + (" bpd-kept" if v.retains_grad else "")
        )
        parts.append(
            f'<g class="{classes}" data-fn="{v.kind}" data-name="{escape(v.name or "")}" '
            f'data-leaf="{str(v.leaf).lower()}" data-retains-grad="{str(v.retains_grad).lower()}">'
            f'<rect x="{x - BOX_W / 2:g}" y="{y - BOX_H / 2:g}" '
            f'width="{BOX_W}" height="{BOX_H}" rx="6"/>'
            f'<text class="bpd-name" x="{x:g}" y="{y - 4:g}">{v.kind}</text>'
            f'<text x="{x:g}" y="{y + 13:g}">{escape(second)}</text></g>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bpd-graph-svg bpd-autograd-svg" '
        f'width="{width:g}" height="{height:g}" viewBox="0 0 {width:g} {height:g}" role="img" '
        f'aria-label="{escape(words["label"])}">{"".join(parts)}</svg>'
    )


def figure(root: object, namespace: dict[str, Any], language: str) -> str:
    vertices, edges = walk(root, namespace)  # type: ignore[arg-type]
    return (
        f'<figure class="bpd-graph"><div class="bpd-graph-scroll" tabindex="0">'
        f"{svg(vertices, edges, language)}</div></figure>\n"
    )


def _probes(source: str, language: str) -> list[tuple[int, int, Probe]]:
    found = []
    position = 0
    for fence in [*FENCE.finditer(source), None]:
        end = fence.start() if fence else len(source)
        for marker in AUTOGRAD.finditer(source, position, end):

            def compute(namespace: dict[str, Any], expr: str = marker["expr"]) -> str:
                return figure(eval(expr, namespace), namespace, language)  # the page's code

            found.append((marker.start(), marker.end(), Probe(marker.start(), marker[0], compute)))
        position = fence.end() if fence else end
    return found


def on_page_markdown(markdown: str, page: Page, **kwargs: Any) -> str:
    if not AUTOGRAD.search(markdown):
        return markdown
    language = "zh" if page.file.src_uri.endswith(".zh.md") else "en"
    path = page.file.abs_src_path or ""
    in_source = _probes(Path(path).read_text(encoding="utf-8"), language)
    in_markdown = _probes(markdown, language)
    if [p.key for *_, p in in_source] != [p.key for *_, p in in_markdown]:
        raise PluginError(f"{page.file.src_uri}: the autograd markers changed before this hook")
    try:
        values = run_page(path, [probe for *_, probe in in_source])
    except PageCodeError as error:
        raise PluginError(
            f"the code of {page.file.src_uri} failed at build time:\n{error}"
        ) from error
    for (start, end, _), value in reversed(list(zip(in_markdown, values, strict=True))):
        markdown = markdown[:start] + value + markdown[end:]
    return markdown
