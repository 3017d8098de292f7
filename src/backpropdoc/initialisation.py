"""Seeded random starting weights, with the usual initialisation schemes.

The biases start at 0 and each weight matrix W^(l) (n_out × n_in) is drawn from a normal
distribution with mean 0 and a standard deviation that depends on the scheme:

- ``"normal"``: ``scale`` (0.01 unless given), the same for every layer;
- ``"xavier"`` (Glorot and Bengio, 2010): √(2 / (n_in + n_out)), for tanh and sigmoid;
- ``"he"`` (He et al., 2015): √(2 / n_in), for ReLU, which zeroes about half of each z.

The draws are PyTorch's own (``torch.nn.init``), from a generator seeded with ``seed``, so the
same arguments give the same network everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import pairwise

import torch

from .network import DTYPE, Network

INITS = ("he", "normal", "xavier")


def _check_layer_sizes(layer_sizes: object) -> list[int]:
    if isinstance(layer_sizes, str) or not isinstance(layer_sizes, Sequence):
        raise TypeError(
            f"layer_sizes must be a list of whole numbers such as [2, 3, 1]; got {layer_sizes!r}"
        )
    if len(layer_sizes) < 2:
        raise ValueError(
            f"layer_sizes must name at least two layers (inputs and outputs); got {layer_sizes!r}"
        )
    for size in layer_sizes:
        if isinstance(size, bool) or not isinstance(size, int):
            raise TypeError(f"layer_sizes must hold whole numbers; got {size!r}")
        if size < 1:
            raise ValueError(f"layer_sizes must be at least 1 each; got {size!r}")
    return list(layer_sizes)


def random_network(
    layer_sizes: Sequence[int],
    *,
    activation: str = "relu",
    output_activation: str = "relu",
    init: str = "he",
    seed: int = 0,
    scale: float | None = None,
) -> Network:
    """A network with random weights W^(l) drawn by ``init`` and biases 0.

    Args:
        layer_sizes: neurons per layer, inputs first, e.g. ``[2, 3, 1]``.
        activation: f for the hidden layers, as for :class:`Network`.
        output_activation: f for the output layer.
        init: ``"he"``, ``"xavier"`` or ``"normal"``.
        seed: seeds the random draws (0 … 2**64 − 1); the same seed, the same network.
        scale: the standard deviation for ``init="normal"`` (0.01 unless given).
    """
    sizes = _check_layer_sizes(layer_sizes)
    if not isinstance(init, str):
        raise TypeError(f"init must be a string, one of {list(INITS)}; got {init!r}")
    if init not in INITS:
        raise ValueError(f"init must be one of {list(INITS)}; got {init!r}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"seed must be a whole number; got {seed!r}")
    if not 0 <= seed < 2**64:
        raise ValueError(f"seed must be between 0 and 2**64 - 1; got {seed!r}")
    if scale is not None:
        if init != "normal":
            raise ValueError(f"scale is only for init='normal'; init={init!r} sets its own")
        if isinstance(scale, bool) or not isinstance(scale, int | float):
            raise TypeError(f"scale must be a number; got {scale!r}")
        if not (math.isfinite(scale) and 0 < scale <= 1e100):
            raise ValueError(f"scale must be a number > 0 and at most 1e100; got {scale!r}")
    std = 0.01 if scale is None else float(scale)

    generator = torch.Generator().manual_seed(seed)
    weights = []
    for n_in, n_out in pairwise(sizes):
        w = torch.empty(n_out, n_in, dtype=DTYPE)
        if init == "he":
            # fan_in = n_in for an (n_out, n_in) matrix, as in torch.nn.Linear
            torch.nn.init.kaiming_normal_(w, nonlinearity="relu", generator=generator)
        elif init == "xavier":
            torch.nn.init.xavier_normal_(w, generator=generator)
        else:
            torch.nn.init.normal_(w, std=std, generator=generator)
        weights.append(w)
    biases = [torch.zeros(n_out, dtype=DTYPE) for n_out in sizes[1:]]
    return Network(weights, biases, activation, output_activation)
