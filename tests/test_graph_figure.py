"""The computational-graph figure on the backward page shows the package's numbers, and only them.

The figure is drawn at build time by docs/hooks/graphs.py from ``<!-- graph: graph -->``; these
tests read it back out of the built HTML (both languages) and compare every node's
``data-value`` / ``data-grad`` and every edge's local derivative with
``backpropdoc.computational_graph`` on the running example.
"""

from __future__ import annotations

import html as html_module
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from backpropdoc import computational_graph, notebook_network, random_network

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "hooks"))

import graphs  # noqa: E402  (docs/hooks is not a package)

PAGES = ["backward/index.html", "zh/backward/index.html"]


def running_example():
    return computational_graph(notebook_network(), [2.0, 3.0], 5.0)


def generic_example():
    """The non-degenerate example beside it: seeded random weights, the same sample."""
    return computational_graph(random_network([2, 3, 1], seed=5), [2.0, 3.0], 5.0)


@dataclass
class Group:
    attrs: dict[str, str]
    texts: list[str] = field(default_factory=list)


class FigureParser(HTMLParser):
    """The <g> of every node and edge in the page's graph figures, with the text inside."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: list[list[Group]] = []
        self.svg_attrs: list[dict[str, str]] = []
        self._group: Group | None = None
        self._in_text = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "svg" and "bpd-graph-svg" in found.get("class", ""):
            self.figures.append([])
            self.svg_attrs.append(found)
        elif tag == "g" and ("data-node" in found or "data-source" in found):
            self._group = Group(found)
            self.figures[-1].append(self._group)
        elif tag == "text":
            self._in_text = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "g":
            self._group = None
        elif tag == "text":
            self._in_text = False

    def handle_data(self, data: str) -> None:
        if self._in_text and self._group is not None:
            self._group.texts.append(data)


def figures(site: Path, page: str) -> FigureParser:
    parser = FigureParser()
    parser.feed((site / page).read_text(encoding="utf-8"))
    return parser


@pytest.mark.build
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("figure", "example"), [(0, running_example), (1, generic_example)])
def test_every_node_and_edge_of_the_figure_equals_the_package(
    built_site: Path, page: str, figure: int, example
):
    parsed = figures(built_site, page)
    assert len(parsed.figures) == 2, f"{page} should have the two graph figures"
    groups = parsed.figures[figure]
    graph = example()
    nodes = [g for g in groups if "data-node" in g.attrs]
    edges = [g for g in groups if "data-source" in g.attrs]
    assert [g.attrs["data-node"] for g in nodes] == [n.name for n in graph]
    for group, node in zip(nodes, graph, strict=True):
        assert float(group.attrs["data-value"]) == node.value, node.name
        assert float(group.attrs["data-grad"]) == node.grad, node.name
        assert group.attrs["data-active"] == str(node.active).lower()
        assert ("bpd-inactive" in group.attrs["class"]) == (not node.active)
        # What it shows: its name, its value, its gradient.
        assert group.texts == [
            graphs.pretty(node.name),
            graphs.short(node.value),
            f"∂ {graphs.short(node.grad)}",
        ]
    assert [(g.attrs["data-source"], g.attrs["data-target"]) for g in edges] == [
        (e.source, e.target) for e in graph.edges
    ]
    for group, edge in zip(edges, graph.edges, strict=True):
        assert float(group.attrs["data-derivative"]) == edge.derivative
        assert group.attrs["data-formula"] == edge.formula
        assert group.texts == [graphs.short(edge.derivative)]  # every edge shows its derivative
        assert ("bpd-inactive" in group.attrs["class"]) == (not edge.active)
    assert any("bpd-inactive" in g.attrs["class"] for g in groups)  # an inactive neuron is drawn


@pytest.mark.build
@pytest.mark.parametrize("page", PAGES)
def test_the_figure_has_a_table_of_the_same_numbers(built_site: Path, page: str):
    html = (built_site / page).read_text(encoding="utf-8")
    start = html.index('class="bpd-graph"')
    table = html[html.index("<table>", start) : html.index("</details>", start)]
    graph = running_example()
    rows = [
        [
            html_module.unescape(re.sub(r"<[^>]+>", "", cell))
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]
    rows = [row for row in rows if row]  # the header rows have <th>, not <td>
    assert len(rows) == len(graph.nodes) + len(graph.edges)
    for row, node in zip(rows[: len(graph.nodes)], graph.nodes, strict=True):
        assert row[1:3] == [graphs.number(node.value), graphs.number(node.grad)], node.name
    for row, edge in zip(rows[len(graph.nodes) :], graph.edges, strict=True):
        assert row[1] == f"{edge.formula} = {graphs.number(edge.derivative)}"


@pytest.mark.build
@pytest.mark.parametrize("page", PAGES)
def test_the_figure_keeps_its_size_and_says_what_it_is(built_site: Path, page: str):
    attrs = figures(built_site, page).svg_attrs[0]
    width, height = float(attrs["width"]), float(attrs["height"])
    assert attrs["viewbox"] == f"0 0 {width:g} {height:g}"  # drawn 1:1, never scaled
    assert attrs["role"] == "img" and attrs["aria-label"]
    assert "id" not in attrs


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_svg_is_the_same_every_time(language: str):
    first = graphs.figure(running_example(), language)
    assert graphs.figure(running_example(), language) == first
    assert " id=" not in first  # no generated ids to collide or change


def test_the_marker_must_give_a_graph():
    with pytest.raises(TypeError, match=r"must give a backpropdoc\.Graph; got Network"):
        graphs.figure(notebook_network(), "en")


def test_names_and_numbers_read_as_on_the_site():
    assert graphs.pretty("w_11^(1)") == "w₁₁⁽¹⁾"
    assert graphs.pretty("y") == "y"
    assert graphs.pretty("x_2") == "x₂"
    assert graphs.short(-0.0) == "0"
    assert graphs.short(-1.0) == "−1"
    assert graphs.short(1 / 3) == "0.3333"
    assert graphs.exact(-0.0) == "0.0"
    assert float(graphs.exact(1 / 3)) == 1 / 3


def test_no_two_nodes_overlap_and_every_edge_runs_forward():
    graph = running_example()
    positions = graphs.layout(graph)
    centres = list(positions.values())
    for i, (x1, y1) in enumerate(centres):
        for x2, y2 in centres[i + 1 :]:
            apart_x = abs(x1 - x2) >= graphs.NODE_W
            apart_y = abs(y1 - y2) >= graphs.NODE_H
            assert apart_x or apart_y
    for edge in graph.edges:
        assert positions[edge.source][0] < positions[edge.target][0]
