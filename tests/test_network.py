"""What users rely on from the package's values: no aliasing, exact shapes, readable chains."""

import re

import pytest
import torch

import backpropdoc
from backpropdoc import (
    ACTIVATIONS,
    Gradients,
    Network,
    explain,
    manual_gradients,
    notebook_network,
)


def test_a_network_keeps_its_own_copies():
    w1, b1 = torch.ones(3, 2, dtype=torch.float64), torch.zeros(3, dtype=torch.float64)
    w2 = [[1.0, 1.0, 0.0]]
    net = Network([w1, w2], [b1, [0.0]])
    w1[0, 0], b1[0], w2[0][0] = 5.0, 5.0, 5.0  # the caller changes what it passed in
    assert net.weights[0].tolist() == [[1.0, 1.0]] * 3
    assert net.biases[0].tolist() == [0.0] * 3
    assert net.weights[1].tolist() == [[1.0, 1.0, 0.0]]
    net.weights[0][0, 0] = 7.0  # and what it got out
    net.biases[0][0] = 7.0
    assert net.weights[0][0, 0].item() == 1.0
    assert net.biases[0][0].item() == 0.0


def test_with_parameters_keeps_the_activations():
    net = Network([[[1.0, 2.0]]], None, "tanh", "sigmoid")
    other = net.with_parameters([torch.ones(1, 2)], [torch.ones(1)])
    assert (other.activation.name, other.output_activation.name) == ("tanh", "sigmoid")
    assert other.weights[0].tolist() == [[1.0, 1.0]]
    assert net.weights[0].tolist() == [[1.0, 2.0]]
    assert repr(other) == (
        "Network(layer_sizes=[2, 1], activation='tanh', output_activation='sigmoid')"
    )


def test_parameters_become_float64():
    net = Network([torch.ones(1, 2, dtype=torch.float32)], [torch.ones(1, dtype=torch.int64)])
    assert net.weights[0].dtype == net.biases[0].dtype == torch.float64
    assert net.forward(torch.ones(2, dtype=torch.float32)).output.dtype == torch.float64


def test_the_forward_pass_follows_the_notation():
    # z^(l) = W^(l) a^(l-1) + b^(l), a^(l) = f(z^(l)); W^(l)[j-1, k-1] = w_jk^(l)
    net = Network(
        [[[1.0, -2.0], [0.5, 0.0]], [[2.0, -1.0]]], [[0.5, -1.0], [0.25]], "relu", "identity"
    )
    trace = net.forward([1.0, 1.0])
    assert trace.z[0].tolist() == [-0.5, -0.5]
    assert trace.a[1].tolist() == [0.0, 0.0]
    assert trace.z[1].tolist() == [0.25]
    assert trace.output.tolist() == [0.25]
    assert net.layer_sizes == [2, 2, 1]
    assert [f.name for f in net.activations] == ["relu", "identity"]
    batch = net.forward([[1.0, 1.0], [2.0, 0.0]])
    assert batch.z[0].tolist() == [[-0.5, -0.5], [2.5, 0.0]]
    assert batch.output.tolist() == [[0.25], [5.25]]  # 2 · 2.5 − 1 · 0 + 0.25


@pytest.mark.parametrize(
    ("name", "z", "f", "df"),
    [
        ("relu", [-1.0, 0.0, 2.0], [0.0, 0.0, 2.0], [0.0, 0.0, 1.0]),
        ("identity", [-1.0, 0.0, 2.0], [-1.0, 0.0, 2.0], [1.0, 1.0, 1.0]),
        ("sigmoid", [0.0], [0.5], [0.25]),
        ("tanh", [0.0], [0.0], [1.0]),
    ],
)
def test_activations_and_their_slopes(name, z, f, df):
    activation = ACTIVATIONS[name]
    z_tensor = torch.tensor(z, dtype=torch.float64)
    assert activation.f(z_tensor).tolist() == f
    assert activation.df(z_tensor).tolist() == df
    assert activation.df(z_tensor).dtype == torch.float64  # slopes are numbers, not a bool mask
    assert activation.elementwise


def test_slopes_are_autograds():
    z = torch.linspace(-3, 3, 13, dtype=torch.float64).requires_grad_()
    for name in ("sigmoid", "tanh"):
        (want,) = torch.autograd.grad(ACTIVATIONS[name].f(z).sum(), z)
        torch.testing.assert_close(ACTIVATIONS[name].df(z.detach()), want, rtol=1e-14, atol=0)


def test_softmax_rows_sum_to_one_and_survive_huge_logits():
    softmax = ACTIVATIONS["softmax"]
    y = softmax.f(torch.tensor([[1000.0, 0.0], [0.0, 0.0]], dtype=torch.float64))
    assert y.tolist() == [[1.0, 0.0], [0.5, 0.5]]
    assert not softmax.elementwise


def test_a_target_of_another_shape_is_not_reshaped():
    net = Network([[[1.0, 0.0], [0.0, 1.0]]], None, output_activation="identity")
    x = net.check_input([1.0, 2.0])
    assert net.check_target([3.0, 4.0], x).tolist() == [3.0, 4.0]
    with pytest.raises(
        ValueError,
        match=r"^Y must have shape \(2,\) to match x and the network's output; got shape \(2, 1\)$",
    ):
        net.check_target([[3.0], [4.0]], x)
    with pytest.raises(
        ValueError,
        match=r"^Y must have shape \(2,\) to match x and the network's output; got shape \(\)$",
    ):
        net.check_target(3.0, x)
    # One output neuron: a plain number per sample is the natural target.
    seed = notebook_network()
    assert seed.check_target(5.0, seed.check_input([2.0, 3.0])).tolist() == [5.0]
    X = seed.check_input([[2.0, 3.0], [1.0, 1.0]])
    assert seed.check_target([5.0, 6.0], X).tolist() == [[5.0], [6.0]]


def test_inputs_are_read_not_copied_but_never_changed():
    x = torch.tensor([2.0, 3.0], dtype=torch.float64)
    manual_gradients(notebook_network(), x, 5.0)
    assert x.tolist() == [2.0, 3.0]


def test_gradients_pair_each_layer_strictly():
    w, b = torch.zeros(1, 2), torch.zeros(1)
    uneven = Gradients(weights=[w, w], biases=[b])
    with pytest.raises(ValueError, match="zip"):
        list(uneven.tensors())
    one = Gradients(weights=[w], biases=[b])
    two = Gradients(weights=[w, w], biases=[b, b])
    assert [t.shape for t in two.tensors()] == [w.shape, b.shape, w.shape, b.shape]
    with pytest.raises(ValueError, match="zip"):
        one.max_abs_difference(two)
    other = Gradients(weights=[w + 0.5], biases=[b - 2.0])
    assert one.max_abs_difference(other) == 2.0
    assert other.max_abs_difference(one) == 2.0


def test_the_bias_chain_in_latex_and_text():
    chain = explain(notebook_network(), [2.0, 3.0], 5.0, "b_1^(1)")
    assert [f.role for f in chain.factors] == ["loss", "activation", "weight", "activation", "bias"]
    assert chain.latex() == (
        r"\begin{aligned}\frac{\partial l}{\partial b_{1}^{(1)}} &= \frac{\partial l}{\partial y}"
        r" \frac{\partial y}{\partial z_1^{(2)}} \frac{\partial z_1^{(2)}}{\partial a_1^{(1)}}"
        r" \frac{\partial a_1^{(1)}}{\partial z_1^{(1)}}"
        r" \frac{\partial z_1^{(1)}}{\partial b_{1}^{(1)}}"
        r" \\ &= (y - Y) \cdot \operatorname{relu}'(z_1^{(2)}) \cdot w_{11}^{(2)}"
        r" \cdot \operatorname{relu}'(z_1^{(1)}) \cdot 1 \\ &= (-1)(1)(1)(1)(1) = -1\end{aligned}"
    )
    assert chain.text() == (
        "∂l/∂b_1^(1) = (y - Y) · relu'(z_1^(2)) · w_11^(2) · relu'(z_1^(1)) · 1"
        " = (-1)(1)(1)(1)(1) = -1"
    )
    assert chain.parameter.text == "b_1^(1)"
    assert chain.gradient_symbol == r"\frac{\partial l}{\partial b_{1}^{(1)}}"


def test_the_upstream_factor_sums_over_the_neurons_above():
    generator = torch.Generator().manual_seed(1)
    net = Network(
        [torch.randn(3, 2, generator=generator), torch.randn(2, 3, generator=generator)],
        activation="sigmoid",
        output_activation="tanh",
    )
    chain = explain(net, [0.5, -1.0], [1.0, 0.0], "b_3^(1)")
    upstream = chain.factors[0]
    assert upstream.role == "upstream"
    assert upstream.derivative == r"\frac{\partial l}{\partial a_3^{(1)}}"
    assert upstream.formula == r"\sum_{i} w_{i3}^{(2)}\,\delta_i^{(2)}"
    assert upstream.formula_text == "Σ_i w_i3^(2) δ_i^(2)"
    grads = manual_gradients(net, [0.5, -1.0], [1.0, 0.0])
    assert chain.value == pytest.approx(grads.biases[0][2].item(), rel=1e-12)
    assert chain.factors[1].formula_text == "σ'(z_3^(1))"
    output = explain(net, [0.5, -1.0], [1.0, 0.0], "w_12^(2)")
    assert [f.formula_text for f in output.factors] == ["(y_1 - Y_1)", "tanh'(z_1^(2))", "a_2^(1)"]
    assert output.factors[0].derivative == r"\frac{\partial l}{\partial y_1}"
    assert output.factors[1].derivative == r"\frac{\partial y_1}{\partial z_1^{(2)}}"


def test_identity_and_relu_read_plainly():
    net = Network([[[2.0, 1.0]], [[3.0]]], None, "identity", "relu")
    chain = explain(net, [1.0, 1.0], 1.0, "w_12^(1)")
    assert [f.formula_text for f in chain.factors] == [
        "(y - Y)",
        "relu'(z_1^(2))",
        "w_11^(2)",
        "id'(z_1^(1))",
        "x_2",
    ]
    assert [f.value for f in chain.factors] == [8.0, 1.0, 3.0, 1.0, 1.0]
    assert chain.text().endswith(" = (8)(1)(3)(1)(1) = 24")


def test_chain_numbers_print_like_the_site():
    net = Network([[[0.1234567]]], None, output_activation="identity")
    chain = explain(net, [1.0], 0.0, "w_11^(1)")
    assert (
        chain.text() == "∂l/∂w_11^(1) = (y - Y) · id'(z_1^(1)) · x_1 = (0.123457)(1)(1) = 0.123457"
    )
    zero = explain(Network([[[-1e-9]]], None, output_activation="identity"), [1.0], 0.0, "w_11^(1)")
    assert zero.text().endswith("= (-1e-09)(1)(1) = -1e-09")
    tiny = explain(
        Network([[[1.0]]], None, output_activation="identity"), [-1e-7], -1e-7, "w_11^(1)"
    )
    assert tiny.text().endswith("= (0)(1)(-1e-07) = 0")


def test_seed_network_is_a_deprecated_name_of_notebook_network() -> None:
    message = "seed_network() is deprecated; use notebook_network(), the same network"
    with pytest.warns(DeprecationWarning, match=f"^{re.escape(message)}$") as caught:
        old = backpropdoc.seed_network()
    # The warning points at the caller's line, not at the package.
    assert [w.filename for w in caught] == [__file__]
    new = backpropdoc.notebook_network()
    assert [w.tolist() for w in old.weights] == [w.tolist() for w in new.weights]
    assert [b.tolist() for b in old.biases] == [b.tolist() for b in new.biases]
