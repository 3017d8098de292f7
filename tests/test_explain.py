"""The chain of factors for one parameter, as the site renders it."""

from itertools import pairwise

import pytest
import torch

from backpropdoc import Network, Parameter, explain, manual_gradients, notebook_network, parameters

X, TARGET = [2.0, 3.0], 5.0


def test_seed_chain_for_w11_reads_like_the_notebook():
    chain = explain(notebook_network(), X, TARGET, "w_11^(1)")
    assert [f.role for f in chain.factors] == [
        "loss",
        "activation",
        "weight",
        "activation",
        "input",
    ]
    assert [f.value for f in chain.factors] == [-1.0, 1.0, 1.0, 1.0, 2.0]
    assert chain.value == -2.0
    assert chain.text() == (
        "∂l/∂w_11^(1) = (y - Y) · relu'(z_1^(2)) · w_11^(2) · relu'(z_1^(1)) · x_1"
        " = (-1)(1)(1)(1)(2) = -2"
    )
    assert chain.latex() == (
        r"\begin{aligned}\frac{\partial l}{\partial w_{11}^{(1)}} &= \frac{\partial l}{\partial y}"
        r" \frac{\partial y}{\partial z_1^{(2)}} \frac{\partial z_1^{(2)}}{\partial a_1^{(1)}}"
        r" \frac{\partial a_1^{(1)}}{\partial z_1^{(1)}}"
        r" \frac{\partial z_1^{(1)}}{\partial w_{11}^{(1)}}"
        r" \\ &= (y - Y) \cdot \operatorname{relu}'(z_1^{(2)}) \cdot w_{11}^{(2)}"
        r" \cdot \operatorname{relu}'(z_1^{(1)}) \cdot x_1 \\ &= (-1)(1)(1)(1)(2) = -2\end{aligned}"
    )
    assert [f.formula_text for f in chain.factors] == [
        "(y - Y)",
        "relu'(z_1^(2))",
        "w_11^(2)",
        "relu'(z_1^(1))",
        "x_1",
    ]


def test_the_dead_third_neuron_passes_no_gradient():
    chain = explain(notebook_network(), X, TARGET, "w_31^(1)")
    assert [f.value for f in chain.factors] == [-1.0, 1.0, 0.0, 0.0, 2.0]
    assert chain.value == 0.0


def test_every_seed_parameter_has_a_chain_equal_to_its_gradient():
    net = notebook_network()
    grads = manual_gradients(net, X, TARGET)
    names = [p.text for p in parameters(net)]
    assert len(names) == 13
    assert names[:3] == ["w_11^(1)", "w_12^(1)", "w_21^(1)"]
    assert names[-1] == "b_1^(2)"
    for p in parameters(net):
        assert explain(net, X, TARGET, p).value == p.gradient(grads)


@pytest.mark.parametrize("spelling", ["w_11^(1)", "w11^(1)", "w_{11}^{(1)}", " w_11^(1) "])
def test_parameter_spellings(spelling):
    assert Parameter.parse(spelling) == Parameter("w", 1, 1, 1)
    assert Parameter.parse(spelling).latex == "w_{11}^{(1)}"


def test_neuron_feeding_several_neurons_gets_one_upstream_factor():
    generator = torch.Generator().manual_seed(1)
    net = Network(
        [torch.randn(3, 2, generator=generator), torch.randn(2, 3, generator=generator)],
        activation="tanh",
        output_activation="identity",
    )
    chain = explain(net, [0.5, -1.0], [1.0, 0.0], "w_21^(1)")
    assert [f.role for f in chain.factors] == ["upstream", "activation", "input"]
    assert "Σ_i w_i2^(2) δ_i^(2)" in chain.text()
    assert chain.value == pytest.approx(
        manual_gradients(net, [0.5, -1.0], [1.0, 0.0]).weights[0][1, 0].item()
    )
    output = explain(net, [0.5, -1.0], [1.0, 0.0], "b_2^(2)")
    assert output.factors[0].formula == "(y_2 - Y_2)"


# --- explain(..., paths=True): the sum over paths in full ---------------------------------

TWO_OUTPUTS = Network([[[1.0, 0.0], [1.0, 0.0], [0.0, 0.0]], [[1.0, 1.0, 0.0], [1.0, 0.0, 0.0]]])


def test_paths_shows_each_path_where_upstream_collapsed_them():
    collapsed = explain(TWO_OUTPUTS, X, [5.0, 0.0], "w_11^(1)")
    assert [f.role for f in collapsed.factors] == ["upstream", "activation", "input"]
    full = explain(TWO_OUTPUTS, X, [5.0, 0.0], "w_11^(1)", paths=True)
    assert len(full.paths) == 2
    assert [[f.value for f in chain.factors] for chain in full.paths] == [
        [-1.0, 1.0, 1.0, 1.0, 2.0],
        [2.0, 1.0, 1.0, 1.0, 2.0],
    ]
    assert full.value == collapsed.value == 2.0
    assert full.text() == (
        "∂l/∂w_11^(1) = (y_1 - Y_1) · relu'(z_1^(2)) · w_11^(2) · relu'(z_1^(1)) · x_1\n"
        "             + (y_2 - Y_2) · relu'(z_2^(2)) · w_21^(2) · relu'(z_1^(1)) · x_1\n"
        "             = (-1)(1)(1)(1)(2) + (2)(1)(1)(1)(2)\n"
        "             = 2"
    )
    assert full.latex() == (
        r"\begin{aligned}\frac{\partial l}{\partial w_{11}^{(1)}} &= (y_1 - Y_1) \cdot "
        r"\operatorname{relu}'(z_{1}^{(2)}) \cdot w_{11}^{(2)} \cdot "
        r"\operatorname{relu}'(z_{1}^{(1)}) \cdot x_{1} \\ &\quad + (y_2 - Y_2) \cdot "
        r"\operatorname{relu}'(z_{2}^{(2)}) \cdot w_{21}^{(2)} \cdot "
        r"\operatorname{relu}'(z_{1}^{(1)}) \cdot x_{1} \\ "
        r"&= (-1)(1)(1)(1)(2) + (2)(1)(1)(1)(2) = 2\end{aligned}"
    )
    assert [f.role for f in full.paths[0].factors] == [
        "loss",
        "activation",
        "weight",
        "activation",
        "input",
    ]


def test_paths_on_a_single_path_is_the_chain():
    net = notebook_network()
    for p in parameters(net):
        chain = explain(net, X, TARGET, p)
        full = explain(net, X, TARGET, p, paths=True)
        assert len(full.paths) == 1
        assert [f.value for f in full.paths[0].factors] == [f.value for f in chain.factors]
        assert [f.role for f in full.paths[0].factors] == [f.role for f in chain.factors]
        assert full.value == chain.value
    bias = explain(net, X, TARGET, "b_3^(1)", paths=True)
    assert bias.text().splitlines()[-2:] == ["            = (-1)(1)(0)(0)(1)", "            = 0"]


@pytest.mark.parametrize(
    ("output", "kind", "Y"),
    [("identity", "squared", [0.5, -1.0]), ("softmax", "cross_entropy", [0.25, 0.75])],
)
def test_the_sum_over_paths_is_the_gradient_of_every_parameter(output, kind, Y):
    generator = torch.Generator().manual_seed(7)
    sizes = [2, 3, 3, 2]
    net = Network(
        [torch.randn(m, n, generator=generator, dtype=torch.float64) for n, m in pairwise(sizes)],
        [torch.randn(m, generator=generator, dtype=torch.float64) for m in sizes[1:]],
        activation="tanh",
        output_activation=output,
    )
    grads = manual_gradients(net, [0.3, -1.2], Y, loss=kind)
    for p in parameters(net):
        full = explain(net, [0.3, -1.2], Y, p, loss=kind, paths=True)
        assert full.value == pytest.approx(p.gradient(grads), rel=1e-9, abs=1e-12), p.text
        assert len(full.paths) >= 1


def test_paths_must_be_a_bool():
    with pytest.raises(TypeError, match="paths must be True or False; got 'yes'"):
        explain(notebook_network(), X, TARGET, "w_11^(1)", paths="yes")
