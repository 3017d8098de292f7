"""Draw ``<!-- graph: EXPR -->`` as the computational graph EXPR evaluates to, at build time.

EXPR is evaluated in the page's own namespace where the marker stands (after the code above it
ran, see _page_code.py) and must give a ``backpropdoc.Graph``, e.g.
``<!-- graph: computational_graph(net, x, Y) -->``. The marker becomes an inline SVG (every
node a ``<g data-node data-value data-grad>``, every edge a ``<g data-source data-target
data-derivative>`` labelled with its local derivative, inactive ones grey and dashed) and a
collapsible table of the same numbers, the figure's text alternative.

The SVG is a pure function of the graph and the language: no random ids, no dates, so two
builds give the same bytes. Colours are CSS custom properties (docs/stylesheets/extra.css), so
it follows the light and dark schemes; it keeps its size and scrolls sideways on a narrow
screen instead of shrinking its text.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from _page_code import Probe, render_probes
from facts import FENCE, number
from mkdocs.structure.pages import Page

from backpropdoc import Edge, Graph, Node

GRAPH = re.compile(r"<!-- graph: (?P<expr>.+?) -->")

WORDS = {
    "en": {
        "label": "The computational graph: every quantity with its forward value and its "
        "gradient, every edge with its local derivative. The same numbers are in the table "
        "below the figure.",
        "legend_name": "node",
        "legend_value": "its forward value",
        "legend_grad": "its gradient ∂l/∂(node)",
        "legend_direction": "forward pass: along the arrows; backward pass: against them",
        "legend_edge": "the number on an arrow: its local derivative",
        "legend_inactive": "grey, dashed: inactive (relu′ = 0 on the way)",
        "table": "The graph as a table",
        "node": "Node",
        "value": "Value",
        "grad": "$\\partial l / \\partial(\\text{node})$",
        "active": "Active",
        "edge": "Edge",
        "formula": "Local derivative",
        "yes": "yes",
        "no": "no",
    },
    "zh": {
        "label": "计算图：每个量标出前向传播的值和梯度，每条边标出它的局部导数。"
        "图下的表格列出同样的数值。",
        "legend_name": "节点",
        "legend_value": "它的前向值",
        "legend_grad": "它的梯度 ∂l/∂(节点)",
        "legend_direction": "前向传播顺着箭头，反向传播逆着箭头",
        "legend_edge": "箭头上的数：局部导数",
        "legend_inactive": "灰色虚线：未被激活（路径上 relu′ = 0）",
        "table": "计算图的表格形式",
        "node": "节点",
        "value": "值",
        "grad": "$\\partial l / \\partial(\\text{节点})$",
        "active": "是否被激活",
        "edge": "边",
        "formula": "局部导数",
        "yes": "是",
        "no": "否",
    },
}

# Geometry, in CSS pixels: the SVG is drawn at this size and never scaled down, so its text
# stays readable (13 px names, 12 px numbers) on any screen; a narrow one scrolls sideways.
NODE_W, NODE_H = 76, 54
PITCH = NODE_H + 14  # vertical distance between node centres in a column
MARGIN = 12
LEGEND_H = NODE_H + 24
# Horizontal room between a column and the next, by the kind of edges that cross it.
GAP_INTO_Z = 140  # inputs and parameters → z: many converging edges
GAP = 60  # z → a, a → y, y → l

SUBSCRIPT = str.maketrans("0123456789,", "₀₁₂₃₄₅₆₇₈₉,")
SUPERSCRIPT = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")


def pretty(name: str) -> str:
    """``w_11^(1)`` as ``w₁₁⁽¹⁾``: the site's notation, readable in a small box."""
    base, _, rest = name.partition("_")
    indices, _, layer = rest.partition("^")
    return base + indices.translate(SUBSCRIPT) + layer.translate(SUPERSCRIPT)


def short(value: float) -> str:
    """A number as the figure shows it: 4 significant digits, a real minus sign."""
    return number(value, ".4g")


def exact(value: float) -> str:
    """A number as the data attributes carry it: round-trips to the same float."""
    return repr(0.0 if value == 0 else value)


def layout(graph: Graph) -> dict[str, tuple[float, float]]:
    """The centre of every node: forward from left to right, one column per stage.

    Columns: layer 1's inputs and parameters, z^(1), then for each later layer its inputs
    a^(l-1) (level with the z they come from) and parameters, z^(l); then y, then l.
    """
    nodes = list(graph)
    L = max(n.layer for n in nodes if n.kind == "z")
    of = {(n.kind, n.layer, n.index): n.name for n in nodes}
    size = [sum(1 for n in nodes if n.kind == "input")] + [
        sum(1 for n in nodes if n.kind == "z" and n.layer == layer) for layer in range(1, L + 1)
    ]
    rows: dict[str, float] = {}  # node → vertical position, in PITCH units
    columns: list[list[str]] = []

    def settle(names: list[str], wanted: list[float]) -> None:
        """Put names in this order at the wanted rows, pushed down where they would overlap."""
        row = -1.0
        for name, want in zip(names, wanted, strict=True):
            row = max(want, row + 1)
            rows[name] = row
        columns.append(names)

    def below(layer: int, k: int) -> str:
        kind = "input" if layer == 1 else "activation"
        return of[(kind, layer - 1 if layer > 1 else 0, (k,))]

    for layer in range(1, L + 1):
        n_in, n_out = size[layer - 1], size[layer]
        order: list[str] = []
        wanted: list[float] = []
        if layer == 1:
            # Bands of one neuron's parameters, the inputs in the gaps between the bands:
            # every edge then runs in the open space between this column and the next.
            inputs = [below(1, k) for k in range(1, n_in + 1)]
            for j in range(1, n_out + 1):
                order += [of[("weight", 1, (j, k))] for k in range(1, n_in + 1)]
                order.append(of[("bias", 1, (j,))])
                if j < n_out and inputs:
                    order.append(inputs.pop(0))
            order += inputs
            wanted = [0.0] * len(order)
        else:
            for k in range(1, n_in + 1):
                order.append(below(layer, k))
                wanted.append(rows[of[("z", layer - 1, (k,))]])
                for j in range(1, n_out + 1):
                    order.append(of[("weight", layer, (j, k))])
                    wanted.append(0.0)
            for j in range(1, n_out + 1):
                order.append(of[("bias", layer, (j,))])
                wanted.append(0.0)
        settle(order, wanted)
        zs = [of[("z", layer, (j,))] for j in range(1, n_out + 1)]
        centres = []
        for j in range(1, n_out + 1):
            own = [of[("weight", layer, (j, k))] for k in range(1, n_in + 1)]
            own.append(of[("bias", layer, (j,))])
            centres.append(sum(rows[name] for name in own) / len(own))
        settle(zs, centres)
    outputs = [n.name for n in nodes if n.kind == "output"]
    settle(outputs, [rows[of[("z", L, n.index)]] for n in nodes if n.kind == "output"])
    settle(["l"], [sum(rows[y] for y in outputs) / len(outputs)])

    positions: dict[str, tuple[float, float]] = {}
    x = MARGIN + NODE_W / 2
    for c, names in enumerate(columns):
        for name in names:
            positions[name] = (x, MARGIN + LEGEND_H + NODE_H / 2 + rows[name] * PITCH)
        into_z = c + 1 < len(columns) and graph.node(columns[c + 1][0]).kind == "z"
        x += NODE_W + (GAP_INTO_Z if into_z else GAP)
    return positions


def _node(node: Node, x: float, y: float) -> str:
    classes = "bpd-node" + ("" if node.active else " bpd-inactive")
    left, top = x - NODE_W / 2, y - NODE_H / 2
    return (
        f'<g class="{classes}" data-node="{escape(node.name)}" data-value="{exact(node.value)}" '
        f'data-grad="{exact(node.grad)}" data-active="{str(node.active).lower()}">'
        f'<rect x="{left:g}" y="{top:g}" width="{NODE_W}" height="{NODE_H}" rx="6"/>'
        f'<text class="bpd-name" x="{x:g}" y="{y - 10:g}">{escape(pretty(node.name))}</text>'
        f'<text class="bpd-value" x="{x:g}" y="{y + 6:g}">{short(node.value)}</text>'
        f'<text class="bpd-grad" x="{x:g}" y="{y + 21:g}">∂ {short(node.grad)}</text></g>'
    )


def _edge(edge: Edge, start: tuple[float, float], end: tuple[float, float], at: float) -> str:
    (x1, y1), (x2, y2) = (start[0] + NODE_W / 2, start[1]), (end[0] - NODE_W / 2, end[1])
    length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    # An arrowhead drawn as a path (no <marker>: its id would have to be unique on the page).
    tip = (x2 - ux, y2 - uy)
    back = (tip[0] - 8 * ux, tip[1] - 8 * uy)
    wing = (-uy * 4, ux * 4)
    head = (
        f"M{tip[0]:.1f} {tip[1]:.1f}L{back[0] + wing[0]:.1f} {back[1] + wing[1]:.1f}"
        f"L{back[0] - wing[0]:.1f} {back[1] - wing[1]:.1f}Z"
    )
    lx, ly = x1 + at * (x2 - x1), y1 + at * (y2 - y1)
    classes = "bpd-edge" + ("" if edge.active else " bpd-inactive")
    return (
        f'<g class="{classes}" data-source="{escape(edge.source)}" '
        f'data-target="{escape(edge.target)}" data-derivative="{exact(edge.derivative)}" '
        f'data-formula="{escape(edge.formula)}" data-active="{str(edge.active).lower()}">'
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{back[0]:.1f}" y2="{back[1]:.1f}"/>'
        f'<path d="{head}"/>'
        f'<text x="{lx:.1f}" y="{ly + 4:.1f}">{short(edge.derivative)}</text></g>'
    )


def svg(graph: Graph, language: str) -> str:
    """The graph as one inline SVG element, in the given language ("en" or "zh")."""
    words = WORDS[language]
    positions = layout(graph)
    width = max(x for x, _ in positions.values()) + NODE_W / 2 + MARGIN
    height = max(y for _, y in positions.values()) + NODE_H / 2 + MARGIN
    kinds = {node.name: node.kind for node in graph}
    edges = []
    for edge in graph.edges:
        # Label an edge where it is apart from its neighbours: the edges of an input or an
        # activation fan out, so close to it; a parameter's edge is alone, so further on.
        if kinds[edge.target] == "z":
            reach = 28 if kinds[edge.source] in ("input", "activation") else 80
            run = positions[edge.target][0] - positions[edge.source][0] - NODE_W
            at = reach / run
        else:
            at = 0.5
        edges.append(_edge(edge, positions[edge.source], positions[edge.target], at))
    nodes = [_node(node, *positions[node.name]) for node in graph]
    # The legend: a sample box saying what its three lines are, then the edges and the grey.
    lx, ly = MARGIN, MARGIN
    box_w = 170
    legend = (
        f'<g class="bpd-legend">'
        f'<rect x="{lx}" y="{ly}" width="{box_w}" height="{NODE_H}" rx="6"/>'
        f'<text class="bpd-name" x="{lx + 8}" y="{ly + 17}">{escape(words["legend_name"])}</text>'
        f'<text class="bpd-value" x="{lx + 8}" y="{ly + 33}">{escape(words["legend_value"])}</text>'
        f'<text class="bpd-grad" x="{lx + 8}" y="{ly + 48}">∂ {escape(words["legend_grad"])}</text>'
        f'<text x="{lx + box_w + 16}" y="{ly + 17}">{escape(words["legend_direction"])}</text>'
        f'<text x="{lx + box_w + 16}" y="{ly + 33}">{escape(words["legend_edge"])}</text>'
        f'<text class="bpd-muted" x="{lx + box_w + 16}" y="{ly + 48}">'
        f"{escape(words['legend_inactive'])}</text></g>"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bpd-graph-svg" width="{width:g}" '
        f'height="{height:g}" viewBox="0 0 {width:g} {height:g}" role="img" '
        f'aria-label="{escape(words["label"])}">'
        f"{legend}{''.join(edges)}{''.join(nodes)}</svg>"
    )


def table(graph: Graph, language: str) -> str:
    """The same numbers as the figure, as two Markdown tables inside a collapsed block."""
    words = WORDS[language]

    def math(name: str) -> str:
        # Plain text (w₁₁⁽¹⁾), not MathML: fifty rows of formulas would double the page.
        return pretty(graph.node(name).name)

    lines = [
        f'??? info "{words["table"]}"',
        "",
        f"    | {words['node']} | {words['value']} | {words['grad']} | {words['active']} |",
        "    |---|---:|---:|---|",
    ]
    for node in graph:
        active = words["yes"] if node.active else words["no"]
        lines.append(
            f"    | {math(node.name)} | {number(node.value)} | {number(node.grad)} | {active} |"
        )
    lines += [
        "",
        f"    | {words['edge']} | {words['formula']} | {words['active']} |",
        "    |---|---|---|",
    ]
    for edge in graph.edges:
        active = words["yes"] if edge.active else words["no"]
        lines.append(
            f"    | {math(edge.source)} → {math(edge.target)} | "
            f"`{edge.formula}` = {number(edge.derivative)} | {active} |"
        )
    return "\n".join(lines)


def figure(graph: object, language: str) -> str:
    """The marker's replacement: the figure, then its table."""
    if not isinstance(graph, Graph):
        raise TypeError(
            f"<!-- graph: … --> must give a backpropdoc.Graph; got {type(graph).__name__}"
        )
    return (
        f'<figure class="bpd-graph"><div class="bpd-graph-scroll" tabindex="0">'
        f"{svg(graph, language)}</div></figure>\n\n{table(graph, language)}\n"
    )


def _probes(source: str, language: str) -> list[tuple[int, int, Probe]]:
    found = []
    position = 0
    for fence in [*FENCE.finditer(source), None]:
        end = fence.start() if fence else len(source)
        for marker in GRAPH.finditer(source, position, end):
            expr = marker["expr"]

            def compute(namespace: dict[str, Any], expr: str = expr) -> str:
                return figure(eval(expr, namespace), language)  # the page's own code

            found.append((marker.start(), marker.end(), Probe(marker.start(), marker[0], compute)))
        position = fence.end() if fence else end
    return found


def render(markdown: str, path: str, language: str, where: str = "page") -> str:
    """``markdown`` with each graph marker drawn from the code of the page at ``path``."""
    return render_probes(markdown, path, lambda text: _probes(text, language), where)


def on_page_markdown(markdown: str, page: Page, **kwargs: Any) -> str:
    if not GRAPH.search(markdown):
        return markdown
    language = "zh" if page.file.src_uri.endswith(".zh.md") else "en"
    return render(markdown, page.file.abs_src_path or "", language, page.file.src_uri)
