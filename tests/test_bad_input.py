"""Bad input gets a ValueError or TypeError that names the parameter, never a wrong number."""

import math

import pytest
import torch

from backpropdoc import (
    Network,
    Parameter,
    autograd_gradients,
    explain,
    loss,
    manual_gradients,
    numerical_gradients,
    seed_network,
    sgd_step,
    train,
)

GRADIENT_FUNCTIONS = [manual_gradients, autograd_gradients, numerical_gradients]


@pytest.mark.parametrize("gradients", GRADIENT_FUNCTIONS)
@pytest.mark.parametrize(
    ("x", "Y", "error", "message"),
    [
        ([2.0, 3.0, 4.0], 5.0, ValueError, "x must have 2 features"),
        ([[2.0, 3.0, 1.0]], 5.0, ValueError, "x must have 2 features"),
        ([2.0, math.nan], 5.0, ValueError, "x must be finite"),
        ([2.0, math.inf], 5.0, ValueError, "x must be finite"),
        ([2.0, 3.0], math.nan, ValueError, "Y must be finite"),
        ([2.0, 3.0], [5.0, 6.0], ValueError, "Y must have shape"),
        ([[2.0, 3.0], [1.0, 1.0]], [5.0, 6.0, 7.0], ValueError, "Y must have shape"),
        ([2.0, [3.0]], 5.0, ValueError, "x is ragged"),
        ("2 3", 5.0, TypeError, "x must be numbers"),
        ([2.0, "3"], 5.0, TypeError, "x is not made of numbers"),
        (None, 5.0, TypeError, "x must be numbers"),
        ([2.0, 3.0], None, TypeError, "Y must be numbers"),
        (torch.zeros(0, 2), 5.0, ValueError, "x must hold at least one sample"),
        (torch.zeros(1, 1, 2), 5.0, ValueError, "x must be 1-D or 2-D"),
    ],
)
def test_bad_samples(gradients, x, Y, error, message):
    with pytest.raises(error, match=message):
        gradients(seed_network(), x, Y)


@pytest.mark.parametrize(
    ("weights", "biases", "kwargs", "error", "message"),
    [
        ([[[1.0, 2.0]], [[1.0, 2.0]]], None, {}, ValueError, "weights\\[1\\] has 2 columns"),
        ([[[1.0, 2.0]]], [[0.0, 0.0]], {}, ValueError, "biases\\[0\\] must have length 1"),
        ([[[1.0, 2.0]]], [[0.0], [0.0]], {}, ValueError, "biases must have one vector per layer"),
        ([[[1.0, 2.0], [3.0]]], None, {}, ValueError, "weights\\[0\\] is ragged"),
        ([[[1.0, math.nan]]], None, {}, ValueError, "weights\\[0\\] must be finite"),
        ([[[1.0, 2.0]]], [[math.inf]], {}, ValueError, "biases\\[0\\] must be finite"),
        ([[1.0, 2.0]], None, {}, ValueError, "weights\\[0\\] must be 2-D"),
        ([], None, {}, ValueError, "weights must have at least one layer"),
        (torch.ones(1, 2), None, {}, TypeError, "weights must be a list"),
        ([[[1.0, 2.0]]], None, {"activation": "softmax"}, ValueError, "activation must be one of"),
        ([[[1.0, 2.0]]], None, {"output_activation": "gelu"}, ValueError, "output_activation"),
        ([[[1.0, 2.0]]], None, {"activation": None}, TypeError, "activation must be a string"),
        ([torch.ones(1, 2, dtype=torch.bool)], None, {}, TypeError, "weights\\[0\\] must hold"),
    ],
)
def test_bad_networks(weights, biases, kwargs, error, message):
    with pytest.raises(error, match=message):
        Network(weights, biases, **kwargs)


@pytest.mark.parametrize(
    ("lr", "error"),
    [
        (0, ValueError),
        (-0.1, ValueError),
        (math.inf, ValueError),
        (math.nan, ValueError),
        ("0.1", TypeError),
        (True, TypeError),
        (None, TypeError),
    ],
)
def test_bad_learning_rates(lr, error):
    net = seed_network()
    grads = manual_gradients(net, [2.0, 3.0], 5.0)
    with pytest.raises(error, match="lr must be"):
        sgd_step(net, grads, lr)
    with pytest.raises(error, match="lr must be"):
        train(net, [2.0, 3.0], 5.0, lr, steps=1)


@pytest.mark.parametrize(
    ("steps", "error"), [(0, ValueError), (-3, ValueError), (1.5, TypeError), ("2", TypeError)]
)
def test_bad_steps(steps, error):
    with pytest.raises(error, match="steps must be"):
        train(seed_network(), [2.0, 3.0], 5.0, 0.1, steps)


def test_divergence_stops_with_advice_instead_of_nan():
    net = Network([[[1.0, 1.0]]], None, output_activation="identity")
    with pytest.raises(ValueError, match="try a smaller lr"):
        train(net, [30.0, 30.0], 1.0, lr=1.0, steps=200)


def test_sgd_step_checks_the_gradients_fit_the_network():
    other = manual_gradients(Network([[[1.0, 2.0]]]), [1.0, 1.0], 1.0)
    with pytest.raises(ValueError, match="grads must be shaped like"):
        sgd_step(seed_network(), other, 0.1)
    with pytest.raises(TypeError, match="grads must be Gradients"):
        sgd_step(seed_network(), [torch.zeros(3, 2)], 0.1)
    with pytest.raises(TypeError, match="net must be a Network"):
        sgd_step("net", other, 0.1)


@pytest.mark.parametrize(
    ("eps", "error"),
    [(0.0, ValueError), (-1e-6, ValueError), (math.nan, ValueError), ("1e-6", TypeError)],
)
def test_bad_eps(eps, error):
    with pytest.raises(error, match="eps must be"):
        numerical_gradients(seed_network(), [2.0, 3.0], 5.0, eps=eps)


def test_bad_loss_arguments():
    with pytest.raises(ValueError, match="Y must have the same shape as y"):
        loss([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="y must be finite"):
        loss([math.nan], 1.0)
    assert loss([4.0], 5.0) == 0.5
    assert loss([[4.0], [5.0]], [5.0, 5.0]) == 0.25


@pytest.mark.parametrize(
    ("parameter", "error", "message"),
    [
        ("w_45^(1)", ValueError, "j must be 1"),
        ("w_14^(2)", ValueError, "k must be 1"),
        ("b_1^(3)", ValueError, "layer must be 1"),
        ("w_1^(1)", ValueError, "a weight needs two indices"),
        ("b_11^(1)", ValueError, "a bias one"),
        ("weight", ValueError, "parameter must look like"),
        (11, TypeError, "parameter must be a string"),
    ],
)
def test_bad_parameters_to_explain(parameter, error, message):
    with pytest.raises(error, match=message):
        explain(seed_network(), [2.0, 3.0], 5.0, parameter)


def test_explain_needs_one_sample():
    with pytest.raises(ValueError, match="x must be one sample"):
        explain(seed_network(), [[2.0, 3.0]], [5.0], Parameter("w", 1, 1, 1))
