"""Gradient descent: w_new = w_old − η ∂l/∂w, one step or many."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import Tensor

from .gradients import Gradients, output_error
from .network import (
    ACTIVATIONS,
    Activation,
    ArrayLike,
    Network,
    OverflowValueError,
    Trace,
    check_loss,
    check_network,
    check_trace,
    checked_loss_value,
    loss_gradient,
    network_loss,
    propagate,
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


def _times_slope(grad: Tensor, f: Activation, z: Tensor) -> Tensor:
    """grad ⊙ f'(z) (f.backward); for ReLU times the mask z > 0 itself, which gives the same
    numbers as times relu'(z) = 1.0 or 0.0 (signed zeros included) in one operation less."""
    return grad * (z > 0) if f is ACTIVATIONS["relu"] else f.backward(z, grad)


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
    # Checked once, above; each step below is the bare algebra of manual_gradients and
    # sgd_step on plain tensors (the same operations, so the same numbers to the last bit).
    eta = float(lr)
    weights, biases = net.weights, net.biases
    fs, output = net.activations, net.output_activation
    a0 = X.reshape(-1, X.shape[-1])  # rows are samples, as in manual_gradients
    n_samples = a0.shape[0]

    def forward() -> tuple[Trace, float]:
        trace = propagate(weights, biases, fs, X)
        # Every z^(l) finite means every parameter is: an inf or NaN in W^(l) or b^(l) makes
        # some z_j^(l) inf or NaN (inf · 0 is NaN), so no separate check is needed. The sums
        # of the z^(l) and the loss are read in one go; check_trace says what is wrong.
        value = network_loss(trace, target, kind, output)
        *sums, loss_value = torch.stack([*(z.sum() for z in trace.z), value]).tolist()
        if not all(map(math.isfinite, sums)):
            check_trace(trace)
        return trace, checked_loss_value(loss_value)

    y_shape = (-1, net.layer_sizes[-1])
    Y_rows = target.reshape(y_shape)

    def step_from(trace: Trace) -> tuple[list[Tensor], list[Tensor]]:
        z = [z_l.reshape(-1, z_l.shape[-1]) for z_l in trace.z]
        y = trace.output.reshape(y_shape)
        # BP1 and BP2, as output_error and error_signals compute them
        if kind == "cross_entropy":
            delta = [output_error(output, z[-1], y, Y_rows, kind)]
        else:
            delta = [_times_slope(loss_gradient(y, Y_rows, kind), output, z[-1])]
        if n_samples > 1:  # δ^(L) / 1 is δ^(L)
            delta[0] = delta[0] / n_samples
        for l in range(len(z) - 1, 0, -1):
            delta.insert(0, _times_slope(delta[0] @ weights[l], fs[l - 1], z[l - 1]))
        a = [a0, *(a_l.reshape(-1, a_l.shape[-1]) for a_l in trace.a[1:-1])]
        # BP3 and BP4, then w_new = w_old − η ∂l/∂w, as in manual_gradients and sgd_step
        pairs = list(zip(weights, biases, delta, a, strict=True))
        return (
            [w - eta * (d.T @ a_l) for w, _, d, a_l in pairs],
            [b - eta * d.sum(dim=0) for _, b, d, _ in pairs],
        )

    # Nothing here needs autograd, whose bookkeeping costs about a fifth of each step.
    with torch.inference_mode():
        trace, value = forward()  # an overflow here is the inputs' fault; its error says so
    losses = [value]
    if on_step is not None:
        on_step(0, value)
    for step in range(1, steps + 1):
        try:
            with torch.inference_mode():
                weights, biases = step_from(trace)
                trace, value = forward()
        except OverflowValueError:
            raise ValueError(
                f"gradient descent diverged in step {step} of {steps} with lr={lr}: "
                "the numbers overflow float64; try a smaller lr"
            ) from None
        losses.append(value)
        if on_step is not None:
            on_step(step, value)
    return TrainResult(network=net.with_parameters(weights, biases), losses=losses)
