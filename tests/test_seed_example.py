"""The seed notebook's numbers: x = (2, 3), Y = 5 and its initial weights, all biases 0."""

from itertools import pairwise

import pytest
import torch

from backpropdoc import (
    autograd_gradients,
    loss,
    manual_gradients,
    notebook_network,
    numerical_gradients,
    sgd_step,
    train,
)

X, TARGET = [2.0, 3.0], 5.0


def test_forward_pass():
    trace = notebook_network().forward(X)
    assert trace.a[0].tolist() == X
    assert trace.z[0].tolist() == [2.0, 2.0, 0.0]
    assert trace.a[1].tolist() == [2.0, 2.0, 0.0]
    assert trace.output.tolist() == [4.0]
    assert loss(trace.output, TARGET) == 0.5


@pytest.mark.parametrize("gradients", [manual_gradients, autograd_gradients, numerical_gradients])
def test_gradients_by_each_method(gradients):
    grads = gradients(notebook_network(), X, TARGET)
    expected_weights = [[[-2.0, -3.0], [-2.0, -3.0], [0.0, 0.0]], [[-2.0, -2.0, 0.0]]]
    expected_biases = [[-1.0, -1.0, 0.0], [-1.0]]
    for got, want in zip(grads.weights, expected_weights, strict=True):
        torch.testing.assert_close(got, torch.tensor(want, dtype=torch.float64))
    for got, want in zip(grads.biases, expected_biases, strict=True):
        torch.testing.assert_close(got, torch.tensor(want, dtype=torch.float64))


def test_one_step_with_the_seed_learning_rate():
    net = notebook_network()
    new = sgd_step(net, manual_gradients(net, X, TARGET), lr=0.5)
    assert new.weights[0].tolist() == [[2.0, 1.5], [2.0, 1.5], [0.0, 0.0]]
    assert new.weights[1].tolist() == [[2.0, 2.0, 0.0]]
    assert new.biases[0].tolist() == [0.5, 0.5, 0.0]
    assert net.weights[0].tolist() == [[1.0, 0.0], [1.0, 0.0], [0.0, 0.0]], "input untouched"


def test_seed_learning_rate_kills_the_network_in_two_steps():
    result = train(notebook_network(), X, TARGET, lr=0.5, steps=3)
    assert result.losses == [0.5, 496.125, 12.5, 12.5]
    dead = result.network.forward(X)
    assert dead.z[-1].item() < 0  # the output ReLU now passes no gradient
    assert all(g.abs().max() == 0 for g in manual_gradients(result.network, X, TARGET).tensors())


def test_a_small_learning_rate_converges():
    result = train(notebook_network(), X, TARGET, lr=0.02, steps=10)
    assert len(result.losses) == 11
    assert result.losses[0] == 0.5
    assert result.losses[-1] < 1e-12
    assert all(b < a for a, b in pairwise(result.losses))


def test_network_is_a_value():
    net = notebook_network()
    net.weights[0][0, 0] = 100.0
    net.biases[1][0] = 100.0
    assert net.forward(X).output.item() == 4.0
