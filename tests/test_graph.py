"""The computational graph: every node's value and gradient equals autograd's, every path counts."""

import math
from itertools import pairwise

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from backpropdoc import (
    Graph,
    Network,
    computational_graph,
    manual_gradients,
    notebook_network,
    parameters,
)

X, TARGET = [2.0, 3.0], 5.0
ACTIVATIONS = st.sampled_from(["relu", "sigmoid", "tanh", "identity"])
# (output activation, loss) pairs the package supports.
OUTPUTS = st.sampled_from(
    [
        ("relu", "squared"),
        ("sigmoid", "squared"),
        ("tanh", "squared"),
        ("identity", "squared"),
        ("softmax", "squared"),
        ("softmax", "cross_entropy"),
        ("sigmoid", "cross_entropy"),
    ]
)


@st.composite
def problems(draw):
    """A random network, one sample and a target that suits its loss."""
    output, kind = draw(OUTPUTS)
    sizes = draw(st.lists(st.integers(1, 4), min_size=2, max_size=4))
    if output == "softmax":
        sizes[-1] = max(sizes[-1], 2)
    if output == "sigmoid" and kind == "cross_entropy":
        sizes[-1] = 1
    generator = torch.Generator().manual_seed(draw(st.integers(0, 2**32 - 1)))

    def normal(*shape):
        return torch.randn(*shape, generator=generator, dtype=torch.float64)

    net = Network(
        [normal(n_out, n_in) for n_in, n_out in pairwise(sizes)],
        [normal(n_out) for n_out in sizes[1:]],
        activation=draw(ACTIVATIONS),
        output_activation=output,
    )
    if kind == "squared":
        Y = normal(sizes[-1])
    elif output == "softmax":
        Y = torch.softmax(normal(sizes[-1]), dim=-1)
    else:
        Y = torch.rand(1, generator=generator, dtype=torch.float64)
    return net, normal(sizes[0]), Y, kind


def autograd_node_gradients(net, x, Y, kind):
    """∂l/∂(every node) by autograd, with retain_grad() on every intermediate tensor."""
    x = torch.as_tensor(x, dtype=torch.float64).clone().requires_grad_()
    weights = [w.requires_grad_() for w in net.weights]
    biases = [b.requires_grad_() for b in net.biases]
    zs, activations, a = [], [], x
    for layer, (w, b) in enumerate(zip(weights, biases, strict=True), start=1):
        z = w @ a + b
        a = net.activation_of(layer).f(z)
        z.retain_grad()
        a.retain_grad()
        zs.append(z)
        activations.append(a)
    y = a
    Y = torch.as_tensor(Y, dtype=torch.float64).reshape(y.shape)
    if kind == "squared":
        value = 0.5 * ((y - Y) ** 2).sum()
    elif y.numel() == 1:
        value = -(Y * torch.log(y) + (1 - Y) * torch.log(1 - y)).sum()
    else:
        value = -(Y * torch.log(y)).sum()
    value.backward()
    found = {"l": (value.item(), 1.0)}
    found.update({f"x_{k}": (x[k - 1].item(), x.grad[k - 1].item()) for k in range(1, len(x) + 1)})
    L = len(weights)
    for layer in range(1, L + 1):
        w, b, z, a = weights[layer - 1], biases[layer - 1], zs[layer - 1], activations[layer - 1]
        for j in range(1, w.shape[0] + 1):
            for k in range(1, w.shape[1] + 1):
                found[f"w_{j}{k}^({layer})"] = (w[j - 1, k - 1].item(), w.grad[j - 1, k - 1].item())
            found[f"b_{j}^({layer})"] = (b[j - 1].item(), b.grad[j - 1].item())
            found[f"z_{j}^({layer})"] = (z[j - 1].item(), z.grad[j - 1].item())
            output = "y" if w.shape[0] == 1 else f"y_{j}"
            name = f"a_{j}^({layer})" if layer < L else output
            found[name] = (a[j - 1].item(), a.grad[j - 1].item())
    return found


def test_the_running_example_has_every_quantity_named_as_on_the_site():
    graph = computational_graph(notebook_network(), X, TARGET)
    assert [node.name for node in graph.nodes] == [
        "x_1", "x_2",
        "w_11^(1)", "w_12^(1)", "w_21^(1)", "w_22^(1)", "w_31^(1)", "w_32^(1)",
        "b_1^(1)", "b_2^(1)", "b_3^(1)",
        "z_1^(1)", "z_2^(1)", "z_3^(1)",
        "a_1^(1)", "a_2^(1)", "a_3^(1)",
        "w_11^(2)", "w_12^(2)", "w_13^(2)", "b_1^(2)",
        "z_1^(2)", "y", "l",
    ]  # fmt: skip
    values = {node.name: (node.value, node.grad) for node in graph}
    assert values["z_3^(1)"] == (0.0, 0.0)
    assert values["y"] == (4.0, -1.0)
    assert values["l"] == (0.5, 1.0)
    assert values["x_1"] == (2.0, -2.0)
    assert graph.node("w_11^(1)").latex == "w_{11}^{(1)}"
    assert graph.node("x_2").latex == "x_{2}"
    assert graph.node("l").latex == "l"


def test_parameter_gradients_are_the_package_manual_gradients():
    net = notebook_network()
    graph = computational_graph(net, X, TARGET)
    grads = manual_gradients(net, X, TARGET)
    for parameter in parameters(net):
        assert graph.node(parameter.text).grad == parameter.gradient(grads)


def test_x1_reaches_the_loss_by_three_paths_two_of_them_active():
    graph = computational_graph(notebook_network(), X, TARGET)
    paths = graph.paths("x_1")
    assert [[e.target for e in path] for path in paths] == [
        [f"z_{j}^(1)", f"a_{j}^(1)", "z_1^(2)", "y", "l"] for j in (1, 2, 3)
    ]
    products = [math.prod(e.derivative for e in path) for path in paths]
    assert products == [-1.0, -1.0, 0.0]
    assert [all(e.active for e in path) for path in paths] == [True, True, False]
    assert graph.path_sum("x_1") == graph.node("x_1").grad == -2.0


def test_only_what_passes_the_kink_of_neuron_3_is_inactive():
    graph = computational_graph(notebook_network(), X, TARGET)
    assert [n.name for n in graph if not n.active] == [
        "w_31^(1)",
        "w_32^(1)",
        "b_3^(1)",
        "z_3^(1)",
        "a_3^(1)",
    ]
    inactive = {(e.source, e.target) for e in graph.edges if not e.active}
    assert inactive == {
        ("w_31^(1)", "z_3^(1)"),
        ("w_32^(1)", "z_3^(1)"),
        ("b_3^(1)", "z_3^(1)"),
        ("x_1", "z_3^(1)"),
        ("x_2", "z_3^(1)"),
        ("z_3^(1)", "a_3^(1)"),
        ("a_3^(1)", "z_1^(2)"),
    }
    # w_13^(2) gets no gradient because a_3^(1) = 0, not because a slope is 0: still active.
    assert graph.node("w_13^(2)").active and graph.node("w_13^(2)").grad == 0.0


def test_edges_carry_their_local_derivative_and_formula():
    graph = computational_graph(notebook_network(), X, TARGET)
    by_pair = {(e.source, e.target): e for e in graph.edges}
    assert len(by_pair) == len(graph.edges) == 27
    cases = {
        ("x_1", "z_2^(1)"): (1.0, "w_21^(1)"),
        ("w_12^(1)", "z_1^(1)"): (3.0, "x_2"),
        ("b_3^(1)", "z_3^(1)"): (1.0, "1"),
        ("z_3^(1)", "a_3^(1)"): (0.0, "relu'(z_3^(1))"),
        ("w_12^(2)", "z_1^(2)"): (2.0, "a_2^(1)"),
        ("a_1^(1)", "z_1^(2)"): (1.0, "w_11^(2)"),
        ("y", "l"): (-1.0, "(y - Y)"),
    }
    for pair, (derivative, formula) in cases.items():
        assert (by_pair[pair].derivative, by_pair[pair].formula) == (derivative, formula)
    assert graph.edges_into("z_1^(2)") == [e for e in graph.edges if e.target == "z_1^(2)"]
    assert [e.target for e in graph.edges_out_of("x_2")] == ["z_1^(1)", "z_2^(1)", "z_3^(1)"]


def check_graph(graph: Graph, net, x, Y, kind):
    want = autograd_node_gradients(net, x, Y, kind)
    assert {node.name for node in graph} == set(want)
    for node in graph:
        value, grad = want[node.name]
        # rel 1e-9: the package's cross-entropy comes from the logits, this one from log y.
        assert node.value == pytest.approx(value, rel=1e-9, abs=1e-12), node.name
        assert node.grad == pytest.approx(grad, rel=1e-9, abs=1e-12), node.name
        if node.kind != "loss":
            # The chain rule, one node at a time: ∂l/∂u = Σ over u's edges of ∂v/∂u · ∂l/∂v.
            local = math.fsum(
                e.derivative * graph.node(e.target).grad for e in graph.edges_out_of(node.name)
            )
            assert node.grad == pytest.approx(local, rel=1e-9, abs=1e-12), node.name


@settings(max_examples=60, deadline=None)
@given(problems())
def test_every_node_gradient_equals_autograd_with_retain_grad(problem):
    net, x, Y, kind = problem
    check_graph(computational_graph(net, x, Y, loss=kind), net, x, Y, kind)


@settings(max_examples=30, deadline=None)
@given(problems())
def test_the_sum_over_paths_is_the_gradient(problem):
    net, x, Y, kind = problem
    graph = computational_graph(net, x, Y, loss=kind)
    for node in graph:
        assert graph.path_sum(node.name) == pytest.approx(node.grad, rel=1e-9, abs=1e-12)
        if node.kind in ("input", "weight", "bias"):
            # What is inactive passes no gradient down to the inputs and parameters.
            for path in graph.paths(node.name):
                if not all(e.active for e in path):
                    assert math.prod(e.derivative for e in path) == 0.0
            if not node.active:
                assert node.grad == 0.0


def test_a_dead_neuron_in_a_random_network_is_inactive_and_the_rest_is_not():
    net = Network([[[1.0, 1.0], [-1.0, -1.0]], [[2.0, 3.0]]], output_activation="identity")
    graph = computational_graph(net, [1.0, 1.0], 0.0)
    assert not graph.node("z_2^(1)").active and graph.node("z_1^(1)").active
    assert {e.source for e in graph.edges if not e.active} == {
        "w_21^(1)", "w_22^(1)", "b_2^(1)", "x_1", "x_2", "z_2^(1)", "a_2^(1)",
    }  # fmt: skip
    assert graph.node("w_12^(2)").grad == 0.0  # a_2^(1) = 0 feeds it


def test_bad_input_names_the_parameter():
    net = notebook_network()
    with pytest.raises(TypeError, match="net must be a Network"):
        computational_graph("net", X, TARGET)
    with pytest.raises(ValueError, match=r"x must be one sample of shape \(2,\)"):
        computational_graph(net, [X, X], [TARGET, TARGET])
    with pytest.raises(ValueError, match="x must have 2 features"):
        computational_graph(net, [1.0], TARGET)
    with pytest.raises(ValueError, match="Y must have shape"):
        computational_graph(net, X, [1.0, 2.0])
    with pytest.raises(ValueError, match="loss must be one of"):
        computational_graph(net, X, TARGET, loss="hinge")
    with pytest.raises(ValueError, match="x must be finite"):
        computational_graph(net, [math.nan, 1.0], TARGET)
    graph = computational_graph(net, X, TARGET)
    with pytest.raises(ValueError, match="name must be one of the graph's nodes"):
        graph.node("w_99^(1)")
    with pytest.raises(TypeError, match="name must be a node's name"):
        graph.node(3)
    with pytest.raises(ValueError, match="name must be one of"):
        graph.paths("x_1", "Y")


def test_an_infinite_output_derivative_is_an_error_not_inf():
    # y = σ(800) rounds to 1, so ∂l/∂y = (y − Y) / (y (1 − y)) divides by 0.
    net = Network([[[800.0]]], output_activation="sigmoid")
    with pytest.raises(ValueError, match="∂l/∂y is infinite"):
        computational_graph(net, [1.0], 0.5, loss="cross_entropy")


def test_graph_does_not_change_the_network_or_its_inputs():
    net = notebook_network()
    x = torch.tensor(X, dtype=torch.float64)
    computational_graph(net, x, TARGET)
    assert x.tolist() == X
    assert net.weights[0].tolist() == notebook_network().weights[0].tolist()
