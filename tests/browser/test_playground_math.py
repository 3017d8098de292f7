"""The playground's math (docs/assets/playground/backprop.js) against the package, where each
branch of relu' matters, and checked itself: a mutated backprop.js fails the same comparison.

The running example cannot tell ``z > 0`` from ``z >= 0``: its z_3^(1) = 0 meets w_13^(2) = 0,
which hides the slope. The states below put a positive, a negative and an exactly zero z in
the hidden layer behind nonzero output weights, and an output z that is positive, exactly zero
and negative. In each, every gradient (``manualGradients``), every chain product
(``chainValue(chainFactors(...))``) and one ``sgdStep`` must equal ``manual_gradients``,
``explain`` and ``sgd_step``. The mutation check loads a copy of backprop.js into a blank page
(no site build); the playground page itself is driven through the same states too.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Page

from backpropdoc import (
    Network,
    computational_graph,
    explain,
    manual_gradients,
    parameters,
    sgd_step,
)
from tests.browser.test_playground import (
    check_chain,
    check_graph,
    check_numbers,
    check_step_through,
    field_id,
    open_playground,
)

if TYPE_CHECKING:
    from tests.browser.conftest import PageLog

pytestmark = pytest.mark.browser

BACKPROP_JS = Path(__file__).resolve().parents[2] / "docs/assets/playground/backprop.js"
EXPORTS = [
    "forward",
    "manualGradients",
    "chainFactors",
    "chainValue",
    "sgdStep",
    "computationalGraph",
    "backwardSteps",
]
LR = 0.125


def _state(
    x: list[float],
    Y: float,
    W1: list[list[float]],
    b1: list[float],
    W2: list[float],
    b2: float,
    output: str = "relu",
) -> dict[str, Any]:
    return {"x": x, "Y": Y, "weights": [W1, [W2]], "biases": [b1, [b2]], "output": output}


# fmt: off
STATES = {
    # z^(1) = (1.85, -0.7, 0): each hidden branch, each behind a nonzero output weight;
    # z^(2) = 1.6875 > 0.
    "hidden z > 0, z < 0, z = 0; output z > 0": _state(
        [2.0, 3.0], 5.0, [[0.5, 0.25], [-1.0, 0.5], [1.5, -1.0]], [0.1, -0.2, 0.0],
        [0.75, -1.25, 2.0], 0.3,
    ),
    # z^(1) = (2, 2.5, 1.25), z^(2) = 2 - 2.5 + 0.5 + 0 = 0 exactly: relu'(0) = 0 stops all.
    "output z = 0": _state(
        [1.0, 2.0], 1.5, [[1.0, 0.5], [0.5, 1.0], [0.25, 0.5]], [0.0, 0.0, 0.0],
        [1.0, -1.0, 0.4], 0.0,
    ),
    # the same with b^(2) = -1: z^(2) = -1.
    "output z < 0": _state(
        [1.0, 2.0], 1.5, [[1.0, 0.5], [0.5, 1.0], [0.25, 0.5]], [0.0, 0.0, 0.0],
        [1.0, -1.0, 0.4], -1.0,
    ),
    # the identity at the output: z^(2) = -1 < 0 and still a slope of 1, y = z = -1.
    "identity output, z < 0": _state(
        [1.0, 2.0], 1.5, [[1.0, 0.5], [0.5, 1.0], [0.25, 0.5]], [0.0, 0.0, 0.0],
        [1.0, -1.0, 0.4], -1.0, "identity",
    ),
    # every value different, every neuron active: a swapped index or factor shows.
    "all active, all different": _state(
        [1.5, -0.5], -0.75, [[0.3, -0.2], [0.7, 0.4], [-0.6, -1.1]], [0.05, 0.15, 0.45],
        [0.9, -0.35, 0.6], 0.45,
    ),
}
# fmt: on


def _network(state: dict[str, Any]) -> Network:
    return Network(state["weights"], state["biases"], output_activation=state["output"])


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def load(page: Page, source: str) -> None:
    """``source`` (a backprop.js) as a module in a blank page, its exports on ``window.bp``."""
    page.goto("about:blank")
    page.set_content("<!doctype html><title>backprop.js</title>")
    exports = ", ".join(EXPORTS)
    page.add_script_tag(content=f"{source}\nwindow.bp = {{ {exports} }};", type="module")
    page.wait_for_function("() => window.bp !== undefined", timeout=5000)


def mismatches(page: Page, state: dict[str, Any]) -> list[str]:
    """Where the loaded backprop.js disagrees with the package on ``state``."""
    net = _network(state)
    names = [p.text for p in parameters(net)]
    shown = page.evaluate(
        """([state, names, lr]) => {
            const net = { weights: state.weights, biases: state.biases, output: state.output };
            const grads = bp.manualGradients(net, state.x, [state.Y]);
            const chain = (n) => bp.chainFactors(net, state.x, [state.Y], n);
            const chains = names.map((n) => bp.chainValue(chain(n)));
            const graph = bp.computationalGraph(net, state.x, [state.Y]);
            const steps = bp.backwardSteps(graph);
            return { grads, chains, stepped: bp.sgdStep(net, grads, lr), graph, steps };
        }""",
        [state, names, LR],
    )
    grads = manual_gradients(net, state["x"], state["Y"])
    stepped = sgd_step(net, grads, LR)
    wrong = []
    for index, parameter in enumerate(parameters(net)):
        layer, j = parameter.layer - 1, parameter.j - 1
        if parameter.kind == "w":
            k = (parameter.k or 0) - 1
            js_gradient = shown["grads"]["weights"][layer][j][k]
            js_after = shown["stepped"]["weights"][layer][j][k]
            after = stepped.weights[layer][j, k].item()
        else:
            js_gradient = shown["grads"]["biases"][layer][j]
            js_after = shown["stepped"]["biases"][layer][j]
            after = stepped.biases[layer][j].item()
        gradient = parameter.gradient(grads)
        chain = explain(net, state["x"], state["Y"], parameter.text).value
        for what, js, py in [
            ("gradient", js_gradient, gradient),
            ("chain product", shown["chains"][index], chain),
            ("after one step", js_after, after),
        ]:
            if not _close(js, py):
                wrong.append(f"{what} of {parameter.text}: backprop.js {js!r}, package {py!r}")
    # The graph: every node's value, gradient and mark, every edge's derivative and mark; the
    # step-through: each node's products and their sum, against computational_graph.
    graph = computational_graph(net, state["x"], state["Y"])
    js_nodes = {n["name"]: n for n in shown["graph"]["nodes"]}
    for node in graph:
        js_node = js_nodes.get(node.name, {})
        for what, js, py in [
            ("value", js_node.get("value"), node.value),
            ("grad", js_node.get("grad"), node.grad),
        ]:
            if js is None or not _close(js, py):
                wrong.append(f"graph {what} of {node.name}: backprop.js {js!r}, package {py!r}")
        if js_node.get("active") != node.active:
            wrong.append(
                f"graph: {node.name} active {js_node.get('active')!r}, package {node.active}"
            )
    js_edges = [
        (e["source"], e["target"], e["formula"], e["active"]) for e in shown["graph"]["edges"]
    ]
    if js_edges != [(e.source, e.target, e.formula, e.active) for e in graph.edges]:
        wrong.append(f"graph edges: backprop.js {js_edges}")
    for js_edge, edge in zip(shown["graph"]["edges"], graph.edges, strict=False):
        if not _close(js_edge["derivative"], edge.derivative):
            wrong.append(f"∂{edge.target}/∂{edge.source}: backprop.js {js_edge['derivative']!r}")
    steps = {step["node"]: step for step in shown["steps"]}
    if [step["node"] for step in shown["steps"]] != [node.name for node in reversed(graph.nodes)]:
        wrong.append(f"step order: {list(steps)}")
    for node in graph:
        step = steps.get(node.name, {"value": None, "terms": []})
        if step["value"] is None or not _close(step["value"], node.grad):
            wrong.append(f"step {node.name}: backprop.js {step['value']!r}, package {node.grad!r}")
        outs = graph.edges_out_of(node.name)
        products = [(e.target, graph.node(e.target).grad * e.derivative) for e in outs]
        js_products = [(t["target"], t["product"]) for t in step["terms"]]
        if len(js_products) != len(products) or not all(
            a == c and _close(b, d) for (a, b), (c, d) in zip(js_products, products, strict=False)
        ):
            wrong.append(
                f"step {node.name} products: backprop.js {js_products}, package {products}"
            )
    return wrong


@pytest.mark.parametrize("state", STATES.values(), ids=STATES.keys())
def test_backprop_js_matches_the_package_where_each_branch_matters(
    page: Page, page_log: PageLog, state: dict[str, Any]
) -> None:
    load(page, BACKPROP_JS.read_text(encoding="utf-8"))
    assert mismatches(page, state) == []
    assert page_log.problems() == []


def test_the_states_reach_every_branch() -> None:
    """Without this, a state could drift off the branch it is named for."""
    seen = set()
    for state in STATES.values():
        trace = _network(state).forward(state["x"])
        w2 = state["weights"][1][0]
        for j, z in enumerate(trace.z[0].tolist()):
            if w2[j] != 0:  # a hidden slope shows only behind a nonzero output weight
                seen.add(("hidden", (z > 0) - (z < 0)))
        z_out = trace.z[1].item()
        seen.add(("output", (z_out > 0) - (z_out < 0)))
    active = STATES["all active, all different"]
    assert (_network(active).forward(active["x"]).z[0] > 0).all()
    assert seen == {(layer, sign) for layer in ("hidden", "output") for sign in (-1, 0, 1)}


# One change each, as a slip in backprop.js would be; each must fail the comparison.
MUTANTS = {
    "relu' is 1 at z = 0": ("(z > 0 ? 1 : 0)", "(z >= 0 ? 1 : 0)"),
    "relu' is 1 for z < 0": ("(z > 0 ? 1 : 0)", "(z !== 0 ? 1 : 0)"),
    "the error's sign flipped": ("(trace.output[j] - Y[j])", "(Y[j] - trace.output[j])"),
    "BP3 without a^(l-1)": ("dj * ak", "dj"),
    "the step goes uphill": ("theta - lr * g", "theta + lr * g"),
    "the chain's loss factor flipped": (
        "value: trace.output[j - 1] - Y[j - 1]",
        "value: Y[j - 1] - trace.output[j - 1]",
    ),
    "the identity's slope is relu's": ("slope: () => 1", "slope: reluSlope"),
    "the output is always relu": ("zl.map(activationOf(net, i + 1).f)", "zl.map(relu)"),
    "a backward step forgets the upstream gradient": (
        "product: upstream * e.derivative",
        "product: e.derivative",
    ),
    "paths that meet do not add": ("sum + t.product", "t.product"),
    "a flat slope does not make a path inactive": (
        '!(e.source.startsWith("z_") && e.derivative === 0)',
        "true",
    ),
    "the graph's ∂l/∂x takes the wrong weight": (
        "sum + delta[layer][j] * row[k]",
        "sum + delta[layer][j] * row[0]",
    ),
}


@pytest.mark.parametrize(("old", "new"), MUTANTS.values(), ids=MUTANTS.keys())
def test_a_mutated_backprop_js_fails_the_comparison(
    page: Page, page_log: PageLog, old: str, new: str
) -> None:
    source = BACKPROP_JS.read_text(encoding="utf-8")
    assert source.count(old) == 1, f"backprop.js changed: {old!r} is not there once"
    load(page, source)
    assert all(mismatches(page, state) == [] for state in STATES.values())
    load(page, source.replace(old, new))
    caught = [name for name, state in STATES.items() if mismatches(page, state)]
    assert caught, f"{new!r} for {old!r} passes every state"
    print(f"{new!r} for {old!r}: caught in {caught}")
    assert page_log.problems() == []


@pytest.mark.parametrize("state", STATES.values(), ids=STATES.keys())
def test_the_playground_shows_each_branch(
    page: Page, page_log: PageLog, site_url: str, state: dict[str, Any]
) -> None:
    """The page itself, typed into like a user: every number, every chain, dead marks."""
    open_playground(page, site_url)
    net = _network(state)
    values = {"x_1": state["x"][0], "x_2": state["x"][1], "Y": state["Y"]}
    for parameter in parameters(net):
        values[parameter.text] = (
            net.weights[parameter.layer - 1][parameter.j - 1, (parameter.k or 0) - 1].item()
            if parameter.kind == "w"
            else net.biases[parameter.layer - 1][parameter.j - 1].item()
        )
    page.select_option("#pg-output", state["output"])
    for name, value in values.items():
        page.fill(field_id(name), repr(value))
    check_numbers(page, net, state["x"], state["Y"])
    for parameter in parameters(net):
        check_chain(page, net, state["x"], state["Y"], parameter.text)
    graph = computational_graph(net, state["x"], state["Y"])
    check_graph(page, graph)
    sums = check_step_through(page, graph)
    if state is STATES["all active, all different"]:
        assert sums == 2  # ∂l/∂x_1 and ∂l/∂x_2: three paths each, none of them zero
    assert page_log.problems() == []
