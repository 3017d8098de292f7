"""The gradient of the loss with respect to every weight and bias, computed three ways."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import torch
from torch import Tensor

from .network import ArrayLike, Network, Trace, propagate, squared_error


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


# --8<-- [start:error_signals]
def error_signals(net: Network, trace: Trace, Y: ArrayLike) -> list[Tensor]:
    """δ^(l) = ∂l/∂z^(l) for l = 1 … L, one row per sample (BP1 and BP2)."""
    Y = net.check_target(Y, trace.a[0])
    # One sample is a batch of one: with a row per sample the same equations serve both.
    z = [z_l.reshape(-1, z_l.shape[-1]) for z_l in trace.z]
    y = trace.output.reshape(-1, trace.output.shape[-1])
    n_samples = y.shape[0]  # the loss of a batch is the mean over its samples
    L = len(z)
    W, f = net.weights, net.activations

    # BP1: δ^(L) = (y − Y) ⊙ f'(z^(L))
    delta = [torch.empty(0)] * L
    delta[L - 1] = (y - Y.reshape(y.shape)) * f[L - 1].df(z[L - 1]) / n_samples
    for l in range(L - 1, 0, -1):
        # BP2: δ^(l) = (W^(l+1))ᵀ δ^(l+1) ⊙ f'(z^(l)); rows are samples, hence δ W, not Wᵀ δ
        delta[l - 1] = (delta[l] @ W[l]) * f[l - 1].df(z[l - 1])
    return delta


# --8<-- [end:error_signals]


# --8<-- [start:manual_gradients]
def manual_gradients(net: Network, x: ArrayLike, Y: ArrayLike) -> Gradients:
    """The chain rule by hand, in matrix form; no autograd is involved.

    Args:
        net: the network.
        x: one sample, shape (n_in,), or a batch, shape (batch, n_in).
        Y: the target, shaped like the output (a plain number for one output neuron).
    """
    x = net.check_input(x)
    Y = net.check_target(Y, x)
    trace = net.forward(x)
    delta = error_signals(net, trace, Y)
    a = [a_l.reshape(-1, a_l.shape[-1]) for a_l in trace.a]  # rows are samples
    return Gradients(
        # BP3: ∂l/∂W^(l) = δ^(l) (a^(l-1))ᵀ, summed over the samples of a batch
        weights=[delta_l.T @ a[l] for l, delta_l in enumerate(delta)],
        # BP4: ∂l/∂b^(l) = δ^(l), summed over the samples
        biases=[delta_l.sum(dim=0) for delta_l in delta],
    )


# --8<-- [end:manual_gradients]


def autograd_gradients(net: Network, x: ArrayLike, Y: ArrayLike) -> Gradients:
    """The same gradients from ``torch.autograd``, for checking the hand-derived ones."""
    x = net.check_input(x)
    Y = net.check_target(Y, x)
    weights = [w.requires_grad_() for w in net.weights]
    biases = [b.requires_grad_() for b in net.biases]
    trace = propagate(weights, biases, net.activations, x)
    grads = torch.autograd.grad(squared_error(trace.output, Y), [*weights, *biases])
    return Gradients(weights=list(grads[: len(weights)]), biases=list(grads[len(weights) :]))


def numerical_gradients(net: Network, x: ArrayLike, Y: ArrayLike, eps: float = 1e-6) -> Gradients:
    """Central finite differences: (l(θ + ε) − l(θ − ε)) / 2ε for every parameter θ."""
    if isinstance(eps, bool) or not isinstance(eps, int | float):
        raise TypeError(f"eps must be a number; got {eps!r}")
    if not (math.isfinite(eps) and eps > 0):
        raise ValueError(f"eps must be a finite number > 0; got {eps!r}")
    x = net.check_input(x)
    Y = net.check_target(Y, x)
    weights, biases = net.weights, net.biases

    def loss_now() -> float:
        return squared_error(propagate(weights, biases, net.activations, x).output, Y).item()

    def differentiate(parameter: Tensor) -> Tensor:
        grad = torch.zeros_like(parameter)
        flat, flat_grad = parameter.view(-1), grad.view(-1)
        for i in range(flat.numel()):
            original = flat[i].item()
            flat[i] = original + eps
            above = loss_now()
            flat[i] = original - eps
            below = loss_now()
            flat[i] = original
            flat_grad[i] = (above - below) / (2 * eps)
        return grad

    return Gradients(
        weights=[differentiate(w) for w in weights], biases=[differentiate(b) for b in biases]
    )
