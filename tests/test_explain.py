"""The chain of factors for one parameter, as the site renders it."""

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
