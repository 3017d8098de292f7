"""The gradient of the loss with respect to every weight and bias, computed three ways."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import torch
from torch import Tensor

from .network import (
    Activation,
    ArrayLike,
    Network,
    OverflowValueError,
    Trace,
    check_loss,
    check_network,
    checked_loss_value,
    loss_gradient,
    network_loss,
    propagate,
)


@dataclass(frozen=True)
class Gradients:
    """∂l/∂W^(l) and ∂l/∂b^(l) for every layer, shaped like the network's parameters."""

    weights: list[Tensor]
    biases: list[Tensor]

    def tensors(self) -> Iterator[Tensor]:
        """∂l/∂W^(1), ∂l/∂b^(1), ∂l/∂W^(2), … in layer order."""
        for w, b in zip(self.weights, self.biases, strict=True):
            yield w
            yield b

    def max_abs_difference(self, other: Gradients) -> float:
        """The largest |difference| between matching entries of two sets of gradients."""
        pairs = zip(self.tensors(), other.tensors(), strict=True)
        return max((mine - theirs).abs().max().item() for mine, theirs in pairs)


def check_gradients(grads: Gradients) -> Gradients:
    """The gradients, unless one of them overflowed float64."""
    for tensor in grads.tensors():
        if not torch.isfinite(tensor).all():
            raise OverflowValueError(
                "the gradients overflow float64: x, Y, the weights or the biases are too "
                "large; use smaller numbers"
            )
    return grads


# --8<-- [start:error_signals]
def output_error(
    output: Activation,
    z: Tensor,
    y: Tensor,
    Y: Tensor,
    kind: str,
) -> Tensor:
    """BP1: δ^(L) = ∇_y l ⊙ f'(z^(L)), or (∂y/∂z^(L))ᵀ ∇_y l for softmax.

    ``output.backward`` does either: it multiplies by f'(z) or by the
    Jacobian (a softmax's is not elementwise).
    """
    if kind == "cross_entropy":
        # Over a softmax or a sigmoid the Jacobian cancels the 1/y of ∇_y l
        # exactly, leaving δ^(L) = y − Y; written so, it stays exact where y
        # rounds to 0 or 1.
        return y - Y
    return output.backward(z, loss_gradient(y, Y, kind))


def error_signals(
    net: Network, trace: Trace, Y: ArrayLike, *, loss: str = "squared"
) -> list[Tensor]:
    """δ^(l) = ∂l/∂z^(l) for l = 1 … L, one row per sample (BP1 and BP2)."""
    net = check_network(net)
    kind = check_loss(loss, net)
    if not isinstance(trace, Trace):
        name = type(trace).__name__
        raise TypeError(
            f"trace must be a Trace (from net.forward(x)); got {name}",
        )
    Y = net.check_target(Y, trace.a[0], kind)
    # One sample is a batch of one: with a row per sample the same equations
    # serve both.
    z = [z_l.reshape(-1, z_l.shape[-1]) for z_l in trace.z]
    y = trace.output.reshape(-1, trace.output.shape[-1])
    n_samples = y.shape[0]  # a batch's loss is the mean over its samples
    L = len(z)
    W, f = net.weights, net.activations

    # BP1: δ^(L) = ∇_y l ⊙ f'(z^(L)), with (∂y/∂z^(L))ᵀ ∇_y l for a softmax
    # output; ∇_y l = y − Y for squared error, and with cross-entropy
    # δ^(L) = y − Y (output_error)
    delta = [torch.empty(0)] * L
    target = Y.reshape(y.shape)
    per_sample = output_error(f[L - 1], z[L - 1], y, target, kind)
    delta[L - 1] = per_sample / n_samples
    for l in range(L - 1, 0, -1):
        # BP2: δ^(l) = (W^(l+1))ᵀ δ^(l+1) ⊙ f'(z^(l)); rows are samples,
        # hence δ W, not Wᵀ δ
        delta[l - 1] = (delta[l] @ W[l]) * f[l - 1].df(z[l - 1])
    return delta


# --8<-- [end:error_signals]


# --8<-- [start:manual_gradients]
def manual_gradients(
    net: Network, x: ArrayLike, Y: ArrayLike, *, loss: str = "squared"
) -> Gradients:
    """The chain rule by hand, in matrix form; no autograd is involved.

    Args:
        net: the network.
        x: one sample, shape (n_in,), or a batch, shape (batch, n_in).
        Y: the target, shaped like the output (a plain number for one output
            neuron).
        loss: ``"squared"`` (½ Σ (y − Y)²) or ``"cross_entropy"``
            (softmax or sigmoid output).
    """
    net = check_network(net)
    kind = check_loss(loss, net)
    x = net.check_input(x)
    Y = net.check_target(Y, x, kind)
    trace = net.forward(x)
    # a loss that overflowed float64 would give gradients of inf
    value = network_loss(trace, Y, kind, net.output_activation).item()
    checked_loss_value(value)
    delta = error_signals(net, trace, Y, loss=kind)
    # rows are samples
    a = [a_l.reshape(-1, a_l.shape[-1]) for a_l in trace.a]
    return check_gradients(
        Gradients(
            # BP3: ∂l/∂W^(l) = δ^(l) (a^(l-1))ᵀ, summed over the batch
            weights=[delta_l.T @ a[l] for l, delta_l in enumerate(delta)],
            # BP4: ∂l/∂b^(l) = δ^(l), summed over the samples
            biases=[delta_l.sum(dim=0) for delta_l in delta],
        )
    )


# --8<-- [end:manual_gradients]


def autograd_gradients(
    net: Network, x: ArrayLike, Y: ArrayLike, *, loss: str = "squared"
) -> Gradients:
    """The same gradients from ``torch.autograd``, for checking the hand-derived ones."""
    net = check_network(net)
    kind = check_loss(loss, net)
    x = net.check_input(x)
    Y = net.check_target(Y, x, kind)
    net.forward(x)  # raises if the forward pass overflows
    weights = [w.requires_grad_() for w in net.weights]
    biases = [b.requires_grad_() for b in net.biases]
    trace = propagate(weights, biases, net.activations, x)
    value = network_loss(trace, Y, kind, net.output_activation)
    checked_loss_value(value.item())
    grads = torch.autograd.grad(value, [*weights, *biases])
    return check_gradients(
        Gradients(weights=list(grads[: len(weights)]), biases=list(grads[len(weights) :]))
    )


def check_eps(eps: object, net: Network) -> float:
    """ε must be a number small next to the parameters, yet not lost when added to them."""
    if isinstance(eps, bool) or not isinstance(eps, int | float):
        raise TypeError(f"eps must be a number; got {eps!r}")
    if not (math.isfinite(eps) and eps > 0):
        raise ValueError(f"eps must be a finite number > 0; got {eps!r}")
    largest = max(t.abs().max().item() for t in (*net.weights, *net.biases))
    scale = max(1.0, largest)
    # Below 1e-12 · |θ| the step θ ± ε is mostly rounding (float64 keeps about 16 digits);
    # above |θ| the difference no longer approximates a derivative at θ.
    low, high = 1e-12 * scale, scale
    if not low <= eps <= high:
        raise ValueError(
            f"eps must be between {low:.3g} and {high:.3g} for this network's parameters "
            f"(largest |θ| = {largest:.3g}); got {eps!r}"
        )
    return float(eps)


def numerical_gradients(
    net: Network, x: ArrayLike, Y: ArrayLike, eps: float = 1e-6, *, loss: str = "squared"
) -> Gradients:
    """Central finite differences: (l(θ + ε) − l(θ − ε)) / 2ε for every parameter θ."""
    net = check_network(net)
    kind = check_loss(loss, net)
    step = check_eps(eps, net)
    x = net.check_input(x)
    Y = net.check_target(Y, x, kind)
    net.forward(x)  # raises if the forward pass overflows
    weights, biases = net.weights, net.biases

    def loss_now() -> float:
        trace = propagate(weights, biases, net.activations, x)
        return checked_loss_value(network_loss(trace, Y, kind, net.output_activation).item())

    loss_now()

    def differentiate(parameter: Tensor) -> Tensor:
        grad = torch.zeros_like(parameter)
        flat, flat_grad = parameter.view(-1), grad.view(-1)
        for i in range(flat.numel()):
            original = flat[i].item()
            flat[i] = original + step
            above = loss_now()
            flat[i] = original - step
            below = loss_now()
            flat[i] = original
            flat_grad[i] = (above - below) / (2 * step)
        return grad

    return check_gradients(
        Gradients(
            weights=[differentiate(w) for w in weights], biases=[differentiate(b) for b in biases]
        )
    )
