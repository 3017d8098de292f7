"""The playground page shows exactly what the Python package computes.

Every number on the page sits in an element with ``data-quantity`` (its name), its text
as the site prints numbers (6 significant digits) and its full value in ``data-value``.
The tests drive the page like a user (typing into the fields, pressing Step) and compare
every number with ``backpropdoc``.
"""

from __future__ import annotations

import json
import math
import random
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from backpropdoc import (
    Graph,
    Network,
    computational_graph,
    error_signals,
    explain,
    loss,
    manual_gradients,
    notebook_network,
    parameters,
    sgd_step,
)
from backpropdoc.explain import _number as site_number
from backpropdoc.explain import _plain

if TYPE_CHECKING:
    from tests.browser.conftest import PageLog

pytestmark = pytest.mark.browser

PAGES = {"en": "playground/", "zh": "zh/playground/"}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
NAMES = [p.text for p in parameters(notebook_network())]  # w_11^(1) … b_1^(2), the page's order


def field_id(name: str) -> str:
    """The input for x_1, Y, w_11^(1), lr …: "w_11^(1)" → "#pg-input-w-11-1"."""
    return "#pg-input-" + re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")


def open_playground(page: Page, site_url: str, language: str = "en") -> None:
    page.goto(site_url + PAGES[language])
    expect(page.locator("#pg-status")).not_to_have_text("")


def displayed(page: Page) -> dict[str, tuple[str, float]]:
    """Every number on the page: quantity → (text, data-value)."""
    found = page.eval_on_selector_all(
        "#backprop-playground [data-quantity][data-value]",
        "nodes => nodes.map(n => [n.dataset.quantity, n.textContent, n.dataset.value])",
    )
    return {name: (text, float(value)) for name, text, value in found}


def expected(net: Network, x: list[float], Y: float, parameter: str) -> dict[str, float]:
    """The same quantities from the package."""
    trace = net.forward(x)
    delta = error_signals(net, trace, net.check_target(Y, net.check_input(x)))
    grads = manual_gradients(net, x, Y)
    values: dict[str, float] = {"x_1": x[0], "x_2": x[1], "Y": Y}
    for layer, (z, a, d) in enumerate(zip(trace.z, trace.a[1:], delta, strict=True), start=1):
        for j in range(len(z)):
            values[f"z_{j + 1}^({layer})"] = z[j].item()
            values[f"a_{j + 1}^({layer})"] = a[j].item()
            values[f"delta_{j + 1}^({layer})"] = d[0, j].item()
    values["y"] = trace.output[0].item()
    values["l"] = loss(trace.output, [Y])
    for p in parameters(net):
        if p.kind == "w":
            values[f"value {p.text}"] = net.weights[p.layer - 1][p.j - 1, p.k - 1].item()
        else:
            values[f"value {p.text}"] = net.biases[p.layer - 1][p.j - 1].item()
        values[f"dl/d{p.text}"] = p.gradient(grads)
    values["chain product"] = explain(net, x, Y, parameter).value
    return values


def close(shown: float, wanted: float) -> bool:
    return math.isclose(shown, wanted, rel_tol=1e-9, abs_tol=1e-9)


def _minus(text: str) -> str:
    text = "0" if text == "-0" else text
    return re.sub(r"^-", "\N{MINUS SIGN}", text)


def short(value: float) -> str:
    """A number as the graph shows it (graph.js, as graphs.short): 4 significant digits."""
    return _minus(f"{value:.4g}")


def prose(value: float) -> str:
    """A number in the step-through's sentence: the site's 6 digits, a real minus."""
    return _minus(f"{value:.6g}")


def type_network(page: Page, x: list[float], Y: float, values: dict[str, float]) -> Network:
    """Type x, Y and every parameter into the fields; the package's network of those values."""
    for name, value in [("x_1", x[0]), ("x_2", x[1]), ("Y", Y), *values.items()]:
        page.fill(field_id(name), repr(value))
    return Network(
        [
            [[values[f"w_{j}{k}^(1)"] for k in (1, 2)] for j in (1, 2, 3)],
            [[values[f"w_1{j}^(2)"] for j in (1, 2, 3)]],
        ],
        [[values[f"b_{j}^(1)"] for j in (1, 2, 3)], [values["b_1^(2)"]]],
    )


GRAPH_JS = """svg => ({
    nodes: [...svg.querySelectorAll("[data-node]")].map(n => ({
        ...n.dataset, classes: n.getAttribute("class"),
        texts: [...n.querySelectorAll("text")].map(t => t.textContent),
    })),
    edges: [...svg.querySelectorAll("[data-source]")].map(e => ({
        ...e.dataset, classes: e.getAttribute("class"),
        width: parseFloat(e.querySelector("line").getAttribute("stroke-width")),
        label: e.querySelector("text").textContent,
    })),
})"""


def check_graph(page: Page, graph: Graph) -> None:
    """The live graph is the package's: every node, value, gradient, edge and inactive mark."""
    shown = page.locator("#pg-graph").evaluate(GRAPH_JS)
    assert [n["node"] for n in shown["nodes"]] == [n.name for n in graph]
    for n, node in zip(shown["nodes"], graph, strict=True):
        assert close(float(n["value"]), node.value), (node.name, n["value"], node.value)
        assert close(float(n["grad"]), node.grad), (node.name, n["grad"], node.grad)
        assert n["active"] == str(node.active).lower(), node.name
        assert ("bp-inactive" in n["classes"].split()) == (not node.active), node.name
        grad_text = f"∂ {short(node.grad)}" if n["known"] == "true" else "∂ ?"
        assert n["texts"][1:] == [short(node.value), grad_text], node.name
    wanted = [(e.source, e.target, e.formula, str(e.active).lower()) for e in graph.edges]
    assert [(e["source"], e["target"], e["formula"], e["active"]) for e in shown["edges"]] == wanted
    kinds = {node.name: node.kind for node in graph}
    for e, edge in zip(shown["edges"], graph.edges, strict=True):
        assert close(float(e["derivative"]), edge.derivative), (edge, e["derivative"])
        assert e["label"] == short(edge.derivative)
        # An edge that carries a weight (∂z/∂a = w) shows its sign by colour, |w| by width.
        if kinds[edge.source] in ("input", "activation"):
            w = edge.derivative
            assert e["sign"] == ("positive" if w > 0 else "negative" if w < 0 else "zero")
            width = 1 + 1.5 * min(abs(w), 2)
            lit = "bp-lit" in e["classes"].split()  # the current step's edges: at least 3 px
            assert e["width"] == pytest.approx(max(width, 3) if lit else width), edge
        else:
            assert e["sign"] == "none"


STEP_JS = """p => ({
    node: p.dataset.stepNode, reached: Number(p.dataset.reached), text: p.textContent,
    value: p.querySelector(".bp-step-value")?.dataset.value,
    valueText: p.querySelector(".bp-step-value")?.textContent,
    terms: [...p.querySelectorAll(".bp-term")].map(t => ({ ...t.dataset, text: t.textContent })),
    known: [...document.querySelectorAll('#pg-graph [data-known="true"]')].map(n => n.dataset.node),
    current: [...document.querySelectorAll("#pg-graph .bp-current")].map(n => n.dataset.node),
    lit: [...document.querySelectorAll("#pg-graph .bp-lit")].map(
        e => [e.dataset.source, e.dataset.target]),
})"""

STEP_OF = {"en": "Step {k} of {n}: ", "zh": "第 {k} 步（共 {n} 步）："}


def check_step_through(page: Page, graph: Graph, language: str = "en") -> int:
    """Step the backward pass from l to the inputs; every product and sum is the package's.

    Returns how many steps added two or more nonzero products (where paths meet)."""
    page.click("#pg-back-reset")
    assert page.locator("#pg-back-text").evaluate(STEP_JS)["known"] == []
    order = list(reversed(graph.nodes))
    sums = 0
    for k, node in enumerate(order, start=1):
        page.click("#pg-back-step")
        step = page.locator("#pg-back-text").evaluate(STEP_JS)
        assert step["node"] == node.name and step["reached"] == k
        assert step["text"].startswith(STEP_OF[language].format(k=k, n=len(order)))
        assert step["known"] == [n.name for n in graph if n.name in {m.name for m in order[:k]}]
        assert step["current"] == [node.name]
        outs = graph.edges_out_of(node.name)
        assert step["lit"] == [[e.source, e.target] for e in outs]
        assert [t["target"] for t in step["terms"]] == [e.target for e in outs]
        for term, edge in zip(step["terms"], outs, strict=True):
            upstream = graph.node(edge.target).grad
            assert close(float(term["upstream"]), upstream), (node.name, term)
            assert close(float(term["derivative"]), edge.derivative), (node.name, term)
            assert close(float(term["product"]), upstream * edge.derivative), (node.name, term)
            assert term["text"] == f"({prose(upstream)})({prose(edge.derivative)})"
        assert close(float(step["value"]), node.grad), (node.name, step["value"], node.grad)
        assert step["valueText"] == prose(node.grad)
        if node.kind == "loss":
            assert step["terms"] == [] and float(step["value"]) == 1.0
        products = [graph.node(e.target).grad * e.derivative for e in outs]
        sums += sum(p != 0 for p in products) >= 2
    # After the last node a new pass starts at l; Run all shows every gradient again.
    page.click("#pg-back-step")
    assert page.locator("#pg-back-text").evaluate(STEP_JS)["node"] == "l"
    page.click("#pg-back-all")
    shown = page.locator("#pg-back-text").evaluate(STEP_JS)
    assert shown["known"] == [n.name for n in graph] and shown["current"] == []
    check_graph(page, graph)
    return sums


def check_numbers(page: Page, net: Network, x: list[float], Y: float) -> None:
    parameter = page.locator("#pg-param").input_value()
    shown = displayed(page)
    wanted = expected(net, x, Y, parameter)
    assert sorted(shown) == sorted(wanted), "the page shows other quantities than expected"
    wrong = [
        f"{name}: shown {text!r} ({value!r}), expected {site_number(wanted[name])!r} "
        f"({wanted[name]!r})"
        for name, (text, value) in shown.items()
        if text != site_number(wanted[name]) or not close(value, wanted[name])
    ]
    assert not wrong, "\n".join(wrong)
    # A neuron is marked dead exactly when f'(z) = 0: z <= 0 for ReLU, never for the identity.
    for name in ["1^(1)", "2^(1)", "3^(1)", "1^(2)"]:
        card = page.locator(f'[data-neuron="{name}"]')
        relu = name != "1^(2)" or net.output_activation.name == "relu"
        dead = relu and wanted[f"z_{name}"] <= 0
        assert card.get_attribute("data-dead") == str(dead).lower(), name
        assert ("bp-dead" in (card.get_attribute("class") or "").split()) == dead, name


def check_chain(page: Page, net: Network, x: list[float], Y: float, parameter: str) -> None:
    """The factors listed for `parameter` are explain()'s, and their product is the gradient."""
    page.select_option("#pg-param", parameter)
    chain = explain(net, x, Y, parameter)
    rows = page.eval_on_selector_all(
        "#pg-chain tbody tr",
        """rows => rows.map(r => {
            const v = r.querySelector("[data-value]");
            return [r.dataset.role, r.dataset.formula, v.textContent, v.dataset.value];
        })""",
    )
    assert [(role, formula) for role, formula, _, _ in rows] == [
        (f.role, _plain(f.formula)) for f in chain.factors
    ]
    for (_, _, text, value), factor in zip(rows, chain.factors, strict=True):
        assert text == site_number(factor.value)
        assert close(float(value), factor.value)
    product = page.locator('[data-quantity="chain product"]')
    gradient = page.locator(f'[data-quantity="dl/d{parameter}"]')
    assert close(float(product.get_attribute("data-value") or "nan"), chain.value)
    assert product.get_attribute("data-value") == gradient.get_attribute("data-value")
    assert product.text_content() == gradient.text_content() == site_number(chain.value)


def history(page: Page) -> list[float]:
    return json.loads(page.locator("#pg-history").get_attribute("data-history") or "null")


def assert_clean(page_log: PageLog) -> None:
    assert page_log.problems() == []


SEED_X, SEED_Y = [2.0, 3.0], 5.0


@pytest.mark.parametrize("language", ["en", "zh"])
def test_seed_example_dies_after_two_steps(
    page: Page, page_log: PageLog, site_url: str, language: str
) -> None:
    open_playground(page, site_url, language)
    net = notebook_network()
    check_numbers(page, net, SEED_X, SEED_Y)
    graph = computational_graph(net, SEED_X, SEED_Y)
    check_graph(page, graph)
    # x_1 feeds z_1^(1) and z_2^(1), both active: two paths' products add to ∂l/∂x_1.
    assert check_step_through(page, graph, language) == 1
    shown = displayed(page)
    assert shown["y"][0] == "4" and shown["l"][0] == "0.5"
    assert [shown[f"dl/d{n}"][0] for n in NAMES] == (
        ["-2", "-3", "-2", "-3", "0", "0", "-1", "-1", "0", "-2", "-2", "0", "-1"]
    )
    assert page.locator(field_id("lr")).input_value() == "0.5"
    # z_3^(1) = 0 from the start: relu'(0) = 0, so neuron 3 passes no gradient.
    dead_text = (
        "在这个样本上未被激活（不传递梯度）"
        if language == "zh"
        else "inactive on this sample — passes no gradient"
    )
    expect(page.locator('[data-neuron="3^(1)"]')).to_contain_text(dead_text)
    expect(page.locator("#pg-step")).to_have_text("单步更新" if language == "zh" else "Step")
    expect(page.locator("#pg-reset")).to_have_text("重置" if language == "zh" else "Reset")

    losses = [loss(net.forward(SEED_X).output, [SEED_Y])]
    for _ in range(2):
        page.click("#pg-step")
        net = sgd_step(net, manual_gradients(net, SEED_X, SEED_Y), 0.5)
        losses.append(loss(net.forward(SEED_X).output, [SEED_Y]))
        check_numbers(page, net, SEED_X, SEED_Y)
        check_graph(page, computational_graph(net, SEED_X, SEED_Y))  # live: Step redraws it
    assert losses == [0.5, 496.125, 12.5]
    assert history(page) == losses
    assert displayed(page)["l"][0] == "12.5"
    output = page.locator('[data-neuron="1^(2)"]')
    expect(output).to_have_class("bp-neuron bp-dead")
    expect(output).to_contain_text(dead_text)
    assert all(displayed(page)[f"dl/d{n}"][1] == 0 for n in NAMES)

    page.click("#pg-reset")
    check_numbers(page, notebook_network(), SEED_X, SEED_Y)
    assert history(page) == [0.5]
    assert_clean(page_log)


def test_random_inputs_and_steps_match_the_package(
    page: Page, page_log: PageLog, site_url: str
) -> None:
    rng = random.Random(20240615)
    open_playground(page, site_url)
    for _ in range(3):
        x = [round(rng.uniform(-3, 3), 3) for _ in range(2)]
        Y = round(rng.uniform(-2, 6), 3)
        lr = round(rng.uniform(0.01, 0.1), 3)
        values = {n: round(rng.uniform(-1.5, 1.5), 4) for n in NAMES}
        page.fill(field_id("lr"), str(lr))
        net = type_network(page, x, Y, values)
        check_numbers(page, net, x, Y)
        graph = computational_graph(net, x, Y)
        check_graph(page, graph)
        check_step_through(page, graph)  # sums where paths meet: test_playground_math
        for parameter in NAMES:
            check_chain(page, net, x, Y, parameter)
        losses = [loss(net.forward(x).output, [Y])]
        for _ in range(4):
            page.click("#pg-step")
            net = sgd_step(net, manual_gradients(net, x, Y), lr)
            losses.append(loss(net.forward(x).output, [Y]))
            check_numbers(page, net, x, Y)
        check_chain(page, net, x, Y, rng.choice(NAMES))
        shown_history = history(page)
        assert len(shown_history) == len(losses)
        assert all(close(s, w) for s, w in zip(shown_history, losses, strict=True))
        # Step wrote the new parameters back into the fields, to full precision.
        for parameter in parameters(net):
            field = page.locator(field_id(parameter.text)).input_value()
            assert close(float(field), expected(net, x, Y, NAMES[0])[f"value {parameter.text}"])
        check_graph(page, computational_graph(net, x, Y))
    assert_clean(page_log)


def test_keyboard_only(page: Page, page_log: PageLog, site_url: str) -> None:
    open_playground(page, site_url)
    # Type a new x_1 with the keyboard alone: focus, select, type.
    page.focus(field_id("x_1"))
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    x = [3.0, 3.0]
    check_numbers(page, notebook_network(), x, SEED_Y)
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    # Tab through the fields until Step has the focus; Enter and Space both press it.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "pg-step":
            break
    else:
        pytest.fail("Tab never reached the Step button")
    page.keyboard.press("Enter")
    expect(page.locator("#pg-step-count")).to_have_text("1")
    page.keyboard.press("Space")
    expect(page.locator("#pg-step-count")).to_have_text("2")
    assert displayed(page)["l"][0] == "12.5"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "pg-reset"
    page.keyboard.press("Enter")
    check_numbers(page, notebook_network(), SEED_X, SEED_Y)
    # The parameter picker works from the keyboard too.
    page.focus("#pg-param")
    page.keyboard.press("ArrowDown")
    expect(page.locator('[data-quantity="chain product"]')).to_have_text("-3")  # w_12^(1)
    assert_clean(page_log)


def test_invalid_input_is_reported_not_used(page: Page, page_log: PageLog, site_url: str) -> None:
    open_playground(page, site_url)
    page.fill(field_id("lr"), "-1")
    page.locator(field_id("lr")).blur()
    expect(page.locator(field_id("lr"))).to_have_attribute("aria-invalid", "true")
    page.click("#pg-step")
    expect(page.locator("#pg-step-count")).to_have_text("0")
    page.fill(field_id("lr"), "0.5")
    expect(page.locator(field_id("lr"))).not_to_have_attribute("aria-invalid", "true")
    page.click("#pg-step")
    expect(page.locator("#pg-step-count")).to_have_text("1")
    assert displayed(page)["l"][0] == "496.125"
    assert_clean(page_log)


OVERFLOW = {
    "en": "Too large: the numbers would overflow. Enter a smaller value.",
    "zh": "数值太大，计算会溢出。请输入更小的值。",
}
STALE = {
    "en": "x1 is empty: the numbers below still use its last value.",
    "zh": "x1 为空：下面的数值仍使用它上一次的值。",
}


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("field", ["x_1", "Y", "w_11^(1)", "b_1^(2)"])
def test_an_input_that_overflows_is_refused(
    page: Page, page_log: PageLog, site_url: str, language: str, field: str
) -> None:
    open_playground(page, site_url, language)
    before = displayed(page)
    page.fill(field_id(field), "1e200")
    expect(page.locator(field_id(field))).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"{field_id(field)}-error")).to_have_text(OVERFLOW[language])
    expect(page.locator("#pg-status")).to_have_text(OVERFLOW[language])
    assert displayed(page) == before  # the numbers still show the last state that was finite
    text = page.locator("#backprop-playground").inner_text()
    assert not re.search(r"\b(?:inf|Infinity|NaN)\b", text), text
    assert_clean(page_log)  # no console errors (the SVG was never given NaN)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_an_emptied_field_says_so_at_once(
    page: Page, page_log: PageLog, site_url: str, language: str
) -> None:
    open_playground(page, site_url, language)
    page.fill(field_id("x_1"), "")  # no blur: the reader is still in the field
    expect(page.locator(field_id("x_1"))).to_have_attribute("aria-invalid", "true")
    expect(page.locator(f"{field_id('x_1')}-error")).to_have_text(STALE[language])
    page.fill(field_id("x_1"), "1")
    expect(page.locator(field_id("x_1"))).not_to_have_attribute("aria-invalid", "true")
    assert displayed(page)["z_1^(1)"][0] == "1"
    assert_clean(page_log)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_accessible(
    page: Page, page_log: PageLog, site_url: str, scheme: Any, language: str
) -> None:
    page.emulate_media(color_scheme=scheme)
    open_playground(page, site_url, language)
    page.click("#pg-step")
    page.click("#pg-step")  # dead neurons included
    results = Axe().run(page, context="#backprop-playground", options=None)
    serious = [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, "\n".join(serious)
    # Every field has a visible label; results are announced.
    for field in page.locator("#backprop-playground input, #backprop-playground select").all():
        label = page.locator(f'label[for="{field.get_attribute("id")}"]')
        expect(label).to_be_visible()
    expect(page.locator("#pg-status")).to_have_attribute("aria-live", "polite")
    assert_clean(page_log)


def test_numbers_are_formatted_like_the_site(page: Page, page_log: PageLog, site_url: str) -> None:
    """formatNumber is Python's f"{v:.6g}" (ties to even, exponents, "-0" → "0")."""
    rng = random.Random(7)
    values = [0.0, -0.0, 1.0, -1.5, 496.125, 123456.5, 123457.5, 12345.25, 999999.5, 1234567.0]
    values += [1e-5, 0.0001, 0.00012345678, -2.5e-7, 1e21, 1 / 3, 5e-324, 1.7976931348623157e308]
    values += [float(f"{rng.randint(100000, 999999)}5e{rng.randint(-9, 9)}") for _ in range(300)]
    values += [rng.uniform(-1000, 1000) for _ in range(300)]
    open_playground(page, site_url)
    shown = page.evaluate(
        """async ([url, values]) => {
            const { formatNumber } = await import(url);
            return values.map((v) => formatNumber(v));
        }""",
        [site_url + "assets/playground/backprop.js", values],
    )
    assert shown == [site_number(v) for v in values]
    assert_clean(page_log)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_step_through_by_keyboard_and_screen_reader(
    page: Page, page_log: PageLog, site_url: str, language: str
) -> None:
    """Real buttons in the tab order, a visible focus ring, each step in a polite live region."""
    open_playground(page, site_url, language)
    words = {
        "en": ("Step backward", "Run all", "Reset steps"),
        "zh": ("反向一步", "全部走完", "重置步骤"),
    }[language]
    for button, word in zip(
        ["#pg-back-step", "#pg-back-all", "#pg-back-reset"], words, strict=True
    ):
        expect(page.locator(button)).to_have_text(word)
        assert page.locator(button).evaluate("b => b.tagName") == "BUTTON"
    text = page.locator("#pg-back-text")
    expect(text).to_have_attribute("aria-live", "polite")
    page.focus(field_id("b_1^(2)"))
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "pg-back-step":
            break
    else:
        pytest.fail("Tab never reached the Step backward button")
    ring = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert ring == "solid"  # :focus-visible after a Tab
    page.keyboard.press("Enter")
    expect(text).to_have_attribute("data-step-node", "l")
    expect(text).to_contain_text("∂l/∂l = 1")
    page.keyboard.press("Space")
    expect(text).to_have_attribute("data-step-node", "y")
    expect(text).to_contain_text("(1)(−1) = −1")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Run all
    expect(text).not_to_have_attribute("data-step-node", re.compile(".*"))
    expect(text).to_have_attribute("data-reached", "24")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Reset steps
    expect(text).to_have_attribute("data-reached", "0")
    assert page.locator('#pg-graph [data-known="true"]').count() == 0
    assert_clean(page_log)


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_step_through_respects_reduced_motion(
    page: Page, page_log: PageLog, site_url: str, motion: Any
) -> None:
    page.emulate_media(reduced_motion=motion)
    open_playground(page, site_url)
    page.click("#pg-back-step")
    durations = page.eval_on_selector_all(
        "#pg-graph rect, #pg-graph line, #pg-graph text",
        "els => [...new Set(els.map(e => getComputedStyle(e).transitionDuration))]",
    )
    if motion == "reduce":
        assert durations == ["0s"]
    else:
        assert "0s" not in durations  # the highlight fades in
    assert_clean(page_log)


@pytest.mark.parametrize(
    ("language", "scheme", "width"),
    [("en", "light", 1280), ("en", "dark", 1280), ("en", "light", 360), ("zh", "dark", 360)],
)
def test_the_live_graph_is_readable(
    page: Page, page_log: PageLog, site_url: str, language: str, scheme: Any, width: int
) -> None:
    """Drawn at its own size (text ≥ 11 px), scrolling inside its figure on a narrow screen,
    the page itself never wider than the window; weight colours differ from each other and
    from grey in both schemes. Screenshots go to test-artifacts/playground-graph-*.png."""
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    open_playground(page, site_url, language)
    page.fill(field_id("w_12^(1)"), "-0.25")  # one negative weight (x_2 → z_1^(1))
    for _ in range(24):  # to x_1: three paths meet
        page.click("#pg-back-step")
    svg = page.locator("#pg-graph")
    box = svg.bounding_box()
    assert box is not None
    assert box["width"] == pytest.approx(float(svg.get_attribute("width") or 0), abs=1)
    sizes = svg.evaluate(
        "s => [...s.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize))"
    )
    assert min(sizes) >= 11
    scroll = page.locator("#pg-graph-scroll")
    assert scroll.get_attribute("tabindex") == "0"
    overflow = scroll.evaluate("e => e.scrollWidth > e.clientWidth")
    assert overflow == (box["width"] > scroll.evaluate("e => e.clientWidth"))
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    colours = svg.evaluate(
        """s => Object.fromEntries(["positive", "negative", "none"].map(k =>
            [k, getComputedStyle(s.querySelector(`.bp-w-${k}:not(.bp-lit) line`)).stroke]))"""
    )
    assert len(set(colours.values())) == 3, colours
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(".bp-section:has(#pg-graph)").screenshot(
        path=ARTIFACTS / f"playground-graph-{language}-{scheme}-{width}.png"
    )
    assert_clean(page_log)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_loss_chart_shows_a_dead_network(
    page: Page, page_log: PageLog, site_url: str, language: str
) -> None:
    """The notebook's example dies at 12.5 after two steps: on a log axis that plateau sits
    far above the line of zero, and it is marked in the chart and in its text."""
    open_playground(page, site_url, language)
    chart = page.locator("#pg-history")
    expect(chart).to_have_attribute("data-scale", "log")
    mark = {"en": "loss stopped falling: dead network", "zh": "损失不再下降：网络已死亡"}
    page.click("#pg-step")
    expect(chart).to_have_attribute("data-dead", "false")  # 496.125: the gradients are not 0
    assert page.locator("#pg-history-dead").count() == 0
    page.click("#pg-step")
    page.click("#pg-step")
    assert history(page) == [0.5, 496.125, 12.5, 12.5]
    expect(chart).to_have_attribute("data-dead", "true")
    expect(page.locator("#pg-history-dead")).to_have_text(mark[language])
    dead_text = {"en": "The network is dead", "zh": "网络已经死亡"}[language]
    expect(page.locator("#pg-history-text")).to_contain_text(dead_text)
    ticks = chart.evaluate(
        """c => Object.fromEntries([...c.querySelectorAll("[data-tick]")].map(
            t => [t.dataset.tick, [t.textContent, Number(t.getAttribute("y"))]]))"""
    )
    assert {k: text for k, (text, _) in ticks.items()} == {
        "0": "0",
        "0.1": "0.1",
        "1": "1",
        "10": "10",
        "100": "100",
        "1000": "1000",
    }
    dots = chart.evaluate(
        "c => [...c.querySelectorAll('.bp-dot')].map(d => Number(d.getAttribute('cy')))"
    )
    y = {k: height - 3.5 for k, (_, height) in ticks.items()}  # a tick's text sits 3.5 lower
    for loss_value, cy in zip(history(page), dots, strict=True):
        # log scale: the decades are evenly spaced and each loss sits where its log says
        share = math.log10(loss_value / 0.1) / math.log10(1000 / 0.1)
        assert cy == pytest.approx(y["0.1"] + share * (y["1000"] - y["0.1"]))
    assert y["0"] - dots[-1] > (y["0"] - y["1000"]) / 2  # 12.5 is not drawn near zero
    # A loss of exactly 0 (y = Y) is drawn on the zero line, and is no dead network.
    page.click("#pg-reset")
    page.fill(field_id("Y"), "4")
    expect(chart).to_have_attribute("data-dead", "false")
    assert history(page) == [0.0]
    zero = chart.evaluate("c => Number(c.querySelector('.bp-dot').getAttribute('cy'))")
    assert zero == pytest.approx(y["0"])
    assert_clean(page_log)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_identity_output_matches_the_package(
    page: Page, page_log: PageLog, site_url: str, language: str
) -> None:
    """With the identity at the output the same steps recover instead of dying."""
    open_playground(page, site_url, language)
    page.select_option("#pg-output", "identity")
    start = notebook_network()
    net = Network(start.weights, start.biases, output_activation="identity")
    check_numbers(page, net, SEED_X, SEED_Y)
    check_graph(page, computational_graph(net, SEED_X, SEED_Y))
    check_chain(page, net, SEED_X, SEED_Y, "w_11^(1)")  # … · id'(z_1^(2)) · …
    losses = [loss(net.forward(SEED_X).output, [SEED_Y])]
    for _ in range(4):
        page.click("#pg-step")
        net = sgd_step(net, manual_gradients(net, SEED_X, SEED_Y), 0.5)
        losses.append(loss(net.forward(SEED_X).output, [SEED_Y]))
        check_numbers(page, net, SEED_X, SEED_Y)
    assert net.forward(SEED_X).z[1].item() < 0  # the output's z went below 0, and it learns on
    assert history(page) == losses
    expect(page.locator("#pg-history")).to_have_attribute("data-dead", "false")
    graph = computational_graph(net, SEED_X, SEED_Y)
    check_graph(page, graph)
    check_step_through(page, graph, language)
    # Typing into a field keeps the output activation; Reset brings ReLU back.
    page.fill(field_id("x_1"), "1")
    net = Network(net.weights, net.biases, output_activation="identity")
    check_numbers(page, net, [1.0, SEED_X[1]], SEED_Y)
    page.click("#pg-reset")
    assert page.locator("#pg-output").input_value() == "relu"
    check_numbers(page, notebook_network(), SEED_X, SEED_Y)
    assert_clean(page_log)


def mulberry32_weights(seed: int, count: int = 9) -> list[float]:
    """The documented algorithm of Random weights (backprop.js randomWeights, the page's
    random_weights): mulberry32, then each weight is (n mod 201 - 100) / 100."""
    mask, state, weights = 2**32 - 1, seed, []
    for _ in range(count):
        state = (state + 0x6D2B79F5) & mask
        t = ((state ^ state >> 15) * (state | 1)) & mask
        t ^= (t + (t ^ t >> 7) * (t | 61)) & mask
        weights.append(((t ^ t >> 14) % 201 - 100) / 100)
    return weights


BAD_SEED = {
    "en": "The seed must be a whole number from 0 to 4294967295.",
    "zh": "seed 必须是 0 到 4294967295 之间的整数。",
}


@pytest.mark.parametrize("language", ["en", "zh"])
def test_random_weights_from_a_seed(
    page: Page, page_log: PageLog, site_url: str, language: str
) -> None:
    open_playground(page, site_url, language)
    rng = random.Random(99)
    seeds = [0, 1, 7, 2**32 - 1, *(rng.randrange(2**32) for _ in range(20))]
    drawn = page.evaluate(
        """async ([url, seeds]) => {
            const { randomWeights, seedExample } = await import(url);
            const net = seedExample().net;
            return seeds.map((s) => randomWeights(net, s));
        }""",
        [site_url + "assets/playground/backprop.js", seeds],
    )
    for seed, net in zip(seeds, drawn, strict=True):
        flat = [w for W in net["weights"] for row in W for w in row]
        assert flat == mulberry32_weights(seed), seed
        assert net["biases"] == [[0, 0, 0], [0]]
    weight_names = [n for n in NAMES if n.startswith("w")]
    for seed in ["7", "7", "4294967295"]:
        page.fill("#pg-seed", seed)
        page.click("#pg-random")
        weights = dict(zip(weight_names, mulberry32_weights(int(seed)), strict=True))
        shown = {n: float(page.locator(field_id(n)).input_value()) for n in weight_names}
        assert shown == weights
        values = {**weights, **{n: 0.0 for n in NAMES if n.startswith("b")}}
        net = Network(
            [
                [[values[f"w_{j}{k}^(1)"] for k in (1, 2)] for j in (1, 2, 3)],
                [[values[f"w_1{j}^(2)"] for j in (1, 2, 3)]],
            ],
            [[0.0, 0.0, 0.0], [0.0]],
        )
        check_numbers(page, net, SEED_X, SEED_Y)
        check_graph(page, computational_graph(net, SEED_X, SEED_Y))
        assert history(page) == [loss(net.forward(SEED_X).output, [SEED_Y])]
    before = displayed(page)
    for bad in ["", "-1", "1.5", "1e3", "4294967296", "abc", "0x10"]:
        page.fill("#pg-seed", bad)
        page.click("#pg-random")
        expect(page.locator("#pg-seed")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#pg-seed-error")).to_have_text(BAD_SEED[language])
        expect(page.locator("#pg-status")).to_have_text(BAD_SEED[language])
        assert displayed(page) == before, bad
    page.fill("#pg-seed", "3")
    expect(page.locator("#pg-seed")).not_to_have_attribute("aria-invalid", "true")
    page.keyboard.press("Enter")  # Enter in the field draws too
    assert float(page.locator(field_id("w_11^(1)")).input_value()) == mulberry32_weights(3)[0]
    assert_clean(page_log)
