"""train() runs the algebra of manual_gradients and sgd_step without re-checking every step:
the same losses and the same network, to the last bit, and the same errors."""

from __future__ import annotations

import math

import pytest
import torch

from backpropdoc import (
    Network,
    autograd_gradients,
    manual_gradients,
    notebook_network,
    random_network,
    sgd_step,
)
from backpropdoc.network import network_loss, propagate
from backpropdoc.training import train


def cases():
    gen = torch.Generator().manual_seed(3)
    batch = torch.randn(16, 2, generator=gen, dtype=torch.float64)
    return {
        "notebook, one sample": (notebook_network(), [2.0, 3.0], 5.0, 0.02, "squared"),
        "notebook, lr 0.5": (notebook_network(), [2.0, 3.0], 5.0, 0.5, "squared"),
        "notebook, batch": (notebook_network(), batch, batch.sum(dim=1) ** 2, 0.01, "squared"),
        "tanh-identity 2-4-3-1": (
            random_network([2, 4, 3, 1], activation="tanh", output_activation="identity", seed=1),
            batch,
            batch[:, 0],
            0.1,
            "squared",
        ),
        "softmax cross-entropy": (
            random_network([2, 5, 3], output_activation="softmax", seed=2),
            batch,
            torch.nn.functional.one_hot((batch[:, 0] > 0).long() + (batch[:, 1] > 0).long(), 3).to(
                torch.float64
            ),
            0.5,
            "cross_entropy",
        ),
        "sigmoid cross-entropy, one sample": (
            random_network([2, 3, 1], activation="sigmoid", output_activation="sigmoid", seed=4),
            [0.5, -1.0],
            1.0,
            0.3,
            "cross_entropy",
        ),
    }


@pytest.mark.parametrize("name", list(cases()))
def test_train_is_the_checked_steps_to_the_last_bit(name):
    net, x, Y, lr, kind = cases()[name]
    result = train(net, x, Y, lr, 25, loss=kind)
    expected = net
    for i in range(26):
        y = expected.forward(x)
        target = expected.check_target(Y, expected.check_input(x), kind)
        value = network_loss(y, target, kind, expected.output_activation).item()
        assert result.losses[i] == value, f"step {i}"
        if i < 25:
            expected = sgd_step(expected, manual_gradients(expected, x, Y, loss=kind), lr)
    for got, want in zip(
        result.network.weights + result.network.biases,
        expected.weights + expected.biases,
        strict=True,
    ):
        assert torch.equal(got, want)
    assert result.network.activation is expected.activation
    assert result.network.output_activation is expected.output_activation


def test_train_leaves_the_network_it_was_given_as_it_was():
    net = notebook_network()
    before = net.weights + net.biases
    train(net, [2.0, 3.0], 5.0, 0.5, 3)
    assert all(torch.equal(a, b) for a, b in zip(before, net.weights + net.biases, strict=True))


@pytest.mark.parametrize(
    ("lr", "step"),
    [(1e308, 1), (1e101, 1), (1e200, 1)],
)
def test_divergence_names_the_step_like_the_checked_steps(lr, step):
    with pytest.raises(ValueError) as caught:
        train(notebook_network(), [2.0, 3.0], 5.0, lr, 4)
    assert str(caught.value) == (
        f"gradient descent diverged in step {step} of 4 with lr={lr}: "
        "the numbers overflow float64; try a smaller lr"
    )


def test_a_masked_infinite_bias_is_still_caught():
    """ReLU maps z = −inf to 0, so the loss stays finite; the z check must still fire.

    On a 2-1-1 network with w_11^(2) = 1e300 the first step sends b_1^(1) to −inf (η δ_1^(1)
    = 1e10 · 1e300) while W^(2) and b^(2) stay finite: z_1^(1) = −inf, a_1^(1) = 0, y = 0 = Y
    and the loss is 0. The checked steps refuse that update; train must refuse it too.
    """
    net = Network([[[1.0, 0.0]], [[1e300]]], [[0.0], [0.0]])
    x, Y, lr = [1e-300, 0.0], 0.0, 1e10
    grads = manual_gradients(net, x, Y)
    with pytest.raises(ValueError, match=r"^lr=10000000000\.0 is too large"):
        sgd_step(net, grads, lr)
    # what an unchecked loop would go on with: the update as it is, and a finite output
    weights = [w - lr * dw for w, dw in zip(net.weights, grads.weights, strict=True)]
    biases = [b - lr * db for b, db in zip(net.biases, grads.biases, strict=True)]
    assert biases[0].item() == -math.inf
    trace = propagate(weights, biases, net.activations, torch.tensor(x, dtype=torch.float64))
    assert trace.z[0].item() == -math.inf
    assert trace.output.item() == 0.0
    with pytest.raises(ValueError) as caught:
        train(net, x, Y, lr, 2)
    assert str(caught.value) == (
        "gradient descent diverged in step 1 of 2 with lr=10000000000.0: "
        "the numbers overflow float64; try a smaller lr"
    )


def test_the_trained_network_works_with_autograd():
    """train() steps under torch.inference_mode(); what it returns must not be inference tensors."""
    result = train(notebook_network(), [2.0, 3.0], 5.0, 0.02, 3)
    assert not any(t.is_inference() for t in result.network.weights + result.network.biases)
    by_autograd = autograd_gradients(result.network, [2.0, 3.0], 5.0)
    by_hand = manual_gradients(result.network, [2.0, 3.0], 5.0)
    assert by_autograd.max_abs_difference(by_hand) < 1e-12
