"""Gradient descent: w_new = w_old − η ∂l/∂w, one step or many."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import torch

from .gradients import Gradients, manual_gradients
from .network import (
    ArrayLike,
    Network,
    OverflowValueError,
    check_loss,
    check_network,
    checked_loss_value,
    network_loss,
)


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
    net = check_network(net)
    if not isinstance(grads, Gradients):
        raise TypeError(f"grads must be Gradients; got {type(grads).__name__}")
    shapes = [tuple(t.shape) for t in (*net.weights, *net.biases)]
    if [tuple(t.shape) for t in (*grads.weights, *grads.biases)] != shapes:
        raise ValueError(f"grads must be shaped like the network's parameters {shapes}")
    weights = [w - eta * dw for w, dw in zip(net.weights, grads.weights, strict=True)]
    biases = [b - eta * db for b, db in zip(net.biases, grads.biases, strict=True)]
    for name, updated in (("weights", weights), ("biases", biases)):
        for i, tensor in enumerate(updated):
            if not torch.isfinite(tensor).all():
                raise OverflowValueError(
                    f"lr={lr!r} is too large: the update overflows float64 ({name}[{i}] − "
                    f"lr · grads.{name}[{i}] is not finite); use a smaller lr"
                )
    return net.with_parameters(weights, biases)


@dataclass(frozen=True)
class TrainResult:
    """The trained network and the loss before each update (and after the last one)."""

    network: Network
    losses: list[float]


def train(
    net: Network,
    x: ArrayLike,
    Y: ArrayLike,
    lr: float,
    steps: int,
    *,
    loss: str = "squared",
    on_step: Callable[[int, float], None] | None = None,
) -> TrainResult:
    """Run ``steps`` gradient-descent updates on (x, Y).

    ``losses[0]`` is the loss before the first update and ``losses[steps]`` the loss after
    the last, so ``len(losses) == steps + 1``. ``loss`` is ``"squared"`` or
    ``"cross_entropy"``, as for :func:`manual_gradients`. ``on_step(step, loss)``, if given,
    is called with each loss as soon as it is known (step 0 first): for a progress bar, or to
    keep the losses so far when training is interrupted.

    Raises:
        ValueError: if the numbers overflow (the learning rate is too large).
    """
    net = check_network(net)
    kind = check_loss(loss, net)
    check_learning_rate(lr)
    if isinstance(steps, bool) or not isinstance(steps, int):
        raise TypeError(f"steps must be a whole number; got {steps!r}")
    if steps < 1:
        raise ValueError(f"steps must be at least 1; got {steps}")
    X = net.check_input(x)
    target = net.check_target(Y, X, kind)

    def loss_of(network: Network) -> float:
        trace = network.forward(X)
        return checked_loss_value(network_loss(trace, target, kind, net.output_activation).item())

    losses = [loss_of(net)]  # an overflow here is the inputs' fault, and its error says so
    if on_step is not None:
        on_step(0, losses[0])
    for step in range(1, steps + 1):
        try:
            net = sgd_step(net, manual_gradients(net, X, target, loss=kind), lr)
            losses.append(loss_of(net))
            if on_step is not None:
                on_step(step, losses[-1])
        except OverflowValueError:
            raise ValueError(
                f"gradient descent diverged in step {step} of {steps} with lr={lr}: "
                "the numbers overflow float64; try a smaller lr"
            ) from None
    return TrainResult(network=net, losses=losses)
