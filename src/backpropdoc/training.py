"""Gradient descent: w_new = w_old − η ∂l/∂w, one step or many."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .gradients import Gradients, manual_gradients
from .network import ArrayLike, Network, squared_error


def check_learning_rate(lr: object) -> float:
    """η must be a finite number greater than 0."""
    if isinstance(lr, bool) or not isinstance(lr, int | float):
        raise TypeError(f"lr must be a number; got {lr!r}")
    if not (math.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be a finite number > 0; got {lr!r}")
    return float(lr)


def sgd_step(net: Network, grads: Gradients, lr: float) -> Network:
    """One gradient-descent update; returns a new network and leaves ``net`` as it was."""
    eta = check_learning_rate(lr)
    if not isinstance(net, Network):
        raise TypeError(f"net must be a Network; got {type(net).__name__}")
    if not isinstance(grads, Gradients):
        raise TypeError(f"grads must be Gradients; got {type(grads).__name__}")
    shapes = [tuple(t.shape) for t in (*net.weights, *net.biases)]
    if [tuple(t.shape) for t in (*grads.weights, *grads.biases)] != shapes:
        raise ValueError(f"grads must be shaped like the network's parameters {shapes}")
    return net.with_parameters(
        [w - eta * dw for w, dw in zip(net.weights, grads.weights, strict=True)],
        [b - eta * db for b, db in zip(net.biases, grads.biases, strict=True)],
    )


@dataclass(frozen=True)
class TrainResult:
    """The trained network and the loss before each update (and after the last one)."""

    network: Network
    losses: list[float]


def train(net: Network, x: ArrayLike, Y: ArrayLike, lr: float, steps: int) -> TrainResult:
    """Run ``steps`` gradient-descent updates on (x, Y).

    ``losses[0]`` is the loss before the first update and ``losses[steps]`` the loss after
    the last, so ``len(losses) == steps + 1``.

    Raises:
        ValueError: if the loss stops being finite (the learning rate is too large).
    """
    check_learning_rate(lr)
    if isinstance(steps, bool) or not isinstance(steps, int):
        raise TypeError(f"steps must be a whole number; got {steps!r}")
    if steps < 1:
        raise ValueError(f"steps must be at least 1; got {steps}")
    X = net.check_input(x)
    target = net.check_target(Y, X)

    def loss_of(network: Network) -> float:
        value = squared_error(network.forward(X).output, target).item()
        if not math.isfinite(value):
            raise ValueError(
                f"the loss became {value} after {len(losses) - 1} steps with lr={lr}: "
                "gradient descent diverged; try a smaller lr"
            )
        return value

    losses: list[float] = []
    losses.append(loss_of(net))
    for _ in range(steps):
        net = sgd_step(net, manual_gradients(net, X, target), lr)
        losses.append(loss_of(net))
    return TrainResult(network=net, losses=losses)
