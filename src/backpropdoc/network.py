"""A fully connected network in the site's notation, and its forward pass.

Layer l computes z^(l) = W^(l) a^(l-1) + b^(l) and a^(l) = f(z^(l)), with a^(0) = x.
``W^(l)[j-1, k-1]`` is w_jk^(l): the weight from input k of layer l to neuron j.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import torch
from torch import Tensor

ArrayLike: TypeAlias = "Tensor | Sequence[Any] | float | int"

DTYPE = torch.float64


@dataclass(frozen=True)
class Activation:
    """An activation function f together with its derivative f'(z).

    ``relu`` uses relu'(0) = 0, exactly as ``torch.relu`` does in autograd: at z = 0 the
    function has a kink, any slope in [0, 1] is a valid subgradient, and PyTorch picks 0.
    """

    name: str
    latex: str
    f: Callable[[Tensor], Tensor]
    df: Callable[[Tensor], Tensor]
    #: False for softmax: each output depends on every z_j, so there is no single f'(z_j).
    elementwise: bool = True

    def jacobian(self, z: Tensor) -> Tensor:
        """∂a_i/∂z_j for one sample (shape (n, n)) or each row of a batch (batch, n, n).

        Diagonal, with f'(z_j) on the diagonal, for an elementwise f; for softmax
        ∂y_i/∂z_j = y_i (δ_ij − y_j).
        """
        if self.elementwise:
            return torch.diag_embed(self.df(z))
        y = self.f(z)
        return torch.diag_embed(y) - y.unsqueeze(-1) * y.unsqueeze(-2)

    def backward(self, z: Tensor, grad_a: Tensor) -> Tensor:
        """∂l/∂z from ∂l/∂a: grad_a ⊙ f'(z) if f is elementwise, else (∂a/∂z)ᵀ grad_a."""
        if self.elementwise:
            return grad_a * self.df(z)
        return (grad_a.unsqueeze(-2) @ self.jacobian(z)).squeeze(-2)


def _relu_slope(z: Tensor) -> Tensor:
    return (z > 0).to(z.dtype)


def _sigmoid_slope(z: Tensor) -> Tensor:
    s = torch.sigmoid(z)
    return s * (1 - s)


def _tanh_slope(z: Tensor) -> Tensor:
    return 1 - torch.tanh(z) ** 2


def _softmax(z: Tensor) -> Tensor:
    # torch.softmax subtracts max_j z_j first, so exp never overflows.
    return torch.softmax(z, dim=-1)


def _no_elementwise_slope(z: Tensor) -> Tensor:
    raise TypeError("softmax is not elementwise: it has no f'(z_j); use its .jacobian(z)")


ACTIVATIONS: dict[str, Activation] = {
    "relu": Activation("relu", r"\operatorname{relu}", torch.relu, _relu_slope),
    "sigmoid": Activation("sigmoid", r"\sigma", torch.sigmoid, _sigmoid_slope),
    "tanh": Activation("tanh", r"\tanh", torch.tanh, _tanh_slope),
    "identity": Activation("identity", r"\operatorname{id}", lambda z: z, torch.ones_like),
    "softmax": Activation(
        "softmax", r"\operatorname{softmax}", _softmax, _no_elementwise_slope, elementwise=False
    ),
}


def get_activation(name: object, parameter: str = "activation") -> Activation:
    """Look up an activation by name, with an error that names the parameter."""
    if not isinstance(name, str):
        raise TypeError(f"{parameter} must be a string, one of {sorted(ACTIVATIONS)}; got {name!r}")
    if name not in ACTIVATIONS:
        raise ValueError(f"{parameter} must be one of {sorted(ACTIVATIONS)}; got {name!r}")
    return ACTIVATIONS[name]


def _check_nested(value: object, parameter: str) -> tuple[int, ...]:
    """The shape of nested lists of numbers; ragged lists and non-numbers are errors."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return ()
    if not isinstance(value, list | tuple):
        raise TypeError(f"{parameter} is not made of numbers: found {value!r}")
    shapes = {_check_nested(item, parameter) for item in value}
    if len(shapes) > 1:
        raise ValueError(
            f"{parameter} is ragged: its nested lists must all have the same length; got {value!r}"
        )
    return (len(value), *(shapes.pop() if shapes else ()))


def as_tensor(
    value: object, parameter: str, ndim: int | tuple[int, ...] | None = None, copy: bool = True
) -> Tensor:
    """Convert numbers, nested lists or tensors to a finite float64 tensor, or say what is wrong.

    ``copy=False`` lets a float64 tensor through without copying it, for inputs that are only
    read (x, Y); parameters are always copied so that no one else can change a network.
    """
    if isinstance(value, Tensor):
        if value.dtype == torch.bool or value.is_complex():
            raise TypeError(f"{parameter} must hold real numbers; got a tensor of {value.dtype}")
        tensor = value.detach().to(device="cpu", dtype=DTYPE)
        if copy:
            tensor = tensor.clone()
    elif isinstance(value, bool | str | bytes) or value is None:
        raise TypeError(f"{parameter} must be numbers (a tensor or nested lists); got {value!r}")
    else:
        if isinstance(value, list | tuple):
            _check_nested(value, parameter)
        try:
            tensor = torch.tensor(value, dtype=DTYPE)
        except (ValueError, TypeError, RuntimeError):
            raise TypeError(f"{parameter} must be numbers; got {value!r}") from None
    allowed = (ndim,) if isinstance(ndim, int) else ndim
    if allowed is not None and tensor.ndim not in allowed:
        shapes = " or ".join(f"{n}-D" for n in allowed)
        raise ValueError(f"{parameter} must be {shapes}; got shape {tuple(tensor.shape)}")
    if tensor.numel() == 0:
        raise ValueError(f"{parameter} must not be empty; got shape {tuple(tensor.shape)}")
    # A finite sum proves every entry finite at the cost of one pass and no temporary; only a
    # NaN, an inf or an overflowing sum pays for the element-wise check.
    if not torch.isfinite(tensor.sum()) and not torch.isfinite(tensor).all():
        raise ValueError(f"{parameter} must be finite; it contains NaN or inf")
    return tensor


@dataclass(frozen=True)
class Trace:
    """Everything the forward pass computed: ``z[l-1]`` is z^(l), ``a[l]`` is a^(l), a[0] = x.

    For one sample each tensor is a vector; for a batch each has one row per sample.
    """

    z: list[Tensor]
    a: list[Tensor]

    @property
    def output(self) -> Tensor:
        """The network's prediction y = a^(L)."""
        return self.a[-1]


class Network:
    """A fully connected network; a value: nothing changes it after it is made.

    Args:
        weights: one matrix W^(l) per layer, tensors or nested lists, with
            ``W^(l)[j-1, k-1]`` = w_jk^(l) (row = neuron j, column = input k).
        biases: one vector b^(l) per layer; ``None`` means all zeros.
        activation: f for the hidden layers: ``"relu"``, ``"sigmoid"``, ``"tanh"``
            or ``"identity"``.
        output_activation: f for the output layer, from the same list.
    """

    def __init__(
        self,
        weights: Sequence[ArrayLike],
        biases: Sequence[ArrayLike] | None = None,
        activation: str = "relu",
        output_activation: str = "relu",
    ) -> None:
        if isinstance(weights, Tensor | str) or not isinstance(weights, Sequence):
            raise TypeError("weights must be a list with one matrix per layer")
        if len(weights) == 0:
            raise ValueError("weights must have at least one layer")
        self._weights = tuple(as_tensor(w, f"weights[{i}]", ndim=2) for i, w in enumerate(weights))
        # Checked before the shapes chain: a softmax hidden layer is a mistake of kind, not size.
        self.activation = get_activation(activation, "activation")
        self.output_activation = get_activation(output_activation, "output_activation")
        if not self.activation.elementwise:
            raise ValueError(
                f"activation={activation!r} is only for the output layer: it is not elementwise "
                f"(each output depends on every z^(L)); use output_activation={activation!r}"
            )
        n_out = self._weights[-1].shape[0]
        if not self.output_activation.elementwise and n_out < 2:
            raise ValueError(
                f"output_activation={output_activation!r} needs at least 2 output neurons "
                f"(over one neuron it is always 1); got {n_out}"
            )
        for i in range(1, len(self._weights)):
            rows_below, columns = self._weights[i - 1].shape[0], self._weights[i].shape[1]
            if columns != rows_below:
                raise ValueError(
                    f"weights[{i}] has {columns} columns but layer {i} has {rows_below} "
                    f"neurons: shapes do not chain ({self._shapes()})"
                )
        if biases is None:
            biases = [torch.zeros(w.shape[0], dtype=DTYPE) for w in self._weights]
        if isinstance(biases, Tensor | str) or not isinstance(biases, Sequence):
            raise TypeError("biases must be a list with one vector per layer, or None")
        if len(biases) != len(self._weights):
            raise ValueError(
                f"biases must have one vector per layer ({len(self._weights)}); got {len(biases)}"
            )
        self._biases = tuple(as_tensor(b, f"biases[{i}]", ndim=1) for i, b in enumerate(biases))
        for i, (w, b) in enumerate(zip(self._weights, self._biases, strict=True)):
            if b.shape[0] != w.shape[0]:
                raise ValueError(
                    f"biases[{i}] must have length {w.shape[0]} (the neurons of layer {i + 1}); "
                    f"got {b.shape[0]}"
                )

    def _shapes(self) -> str:
        return ", ".join(str(tuple(w.shape)) for w in self._weights)

    @property
    def weights(self) -> list[Tensor]:
        """Copies of W^(1) … W^(L); changing them does not change the network."""
        return [w.clone() for w in self._weights]

    @property
    def biases(self) -> list[Tensor]:
        """Copies of b^(1) … b^(L)."""
        return [b.clone() for b in self._biases]

    @property
    def layer_sizes(self) -> list[int]:
        """Neurons per layer, inputs first: ``[2, 3, 1]`` for the original notebook's network."""
        return [self._weights[0].shape[1], *(w.shape[0] for w in self._weights)]

    def activation_of(self, layer: int) -> Activation:
        """The f used by layer ``layer`` (1-based, as in the notation)."""
        L = len(self._weights)
        if isinstance(layer, bool) or not isinstance(layer, int):
            raise TypeError(f"layer must be a whole number 1 … {L}; got {layer!r}")
        if not 1 <= layer <= L:
            raise ValueError(f"layer must be 1 … {L} (layer 0 is the input); got {layer}")
        return self.output_activation if layer == L else self.activation

    def check_input(self, x: object) -> Tensor:
        """Validate x (one sample or a batch) and return it as a float64 tensor."""
        tensor = as_tensor(x, "x", ndim=(1, 2), copy=False)
        n_in = self.layer_sizes[0]
        if tensor.shape[-1] != n_in:
            raise ValueError(
                f"x must have {n_in} features (the network's input width); "
                f"got shape {tuple(tensor.shape)}"
            )
        if tensor.ndim == 2 and tensor.shape[0] == 0:
            raise ValueError("x must hold at least one sample")
        return tensor

    def check_target(self, Y: object, x: ArrayLike, loss: str = "squared") -> Tensor:
        """Validate Y against x (and the loss) and return it shaped like the network's output."""
        if not isinstance(x, Tensor):
            x = self.check_input(x)
        tensor = as_tensor(Y, "Y", ndim=(0, 1, 2), copy=False)
        n_out = self.layer_sizes[-1]
        expected = (n_out,) if x.ndim == 1 else (x.shape[0], n_out)
        # With one output neuron, Y = 5 (or one label per sample) is the natural way to write it.
        if not (tensor.shape == expected or (n_out == 1 and tensor.shape == expected[:-1])):
            raise ValueError(
                f"Y must have shape {expected} to match x and the network's output; "
                f"got shape {tuple(tensor.shape)}"
            )
        tensor = tensor.reshape(expected)
        if check_loss(loss, self) == "cross_entropy":
            check_probabilities(tensor, "Y", sums_to_one=not self.output_activation.elementwise)
        return tensor

    def forward(self, x: ArrayLike) -> Trace:
        """Run x through the network and keep every z^(l) and a^(l)."""
        trace = propagate(self._weights, self._biases, self.activations, self.check_input(x))
        check_trace(trace)
        return trace

    @property
    def activations(self) -> list[Activation]:
        """f for each layer 1 … L."""
        return [self.activation_of(layer) for layer in range(1, len(self._weights) + 1)]

    def with_parameters(self, weights: Sequence[Tensor], biases: Sequence[Tensor]) -> Network:
        """A new network with the same activations and the given parameters."""
        return Network(weights, biases, self.activation.name, self.output_activation.name)

    def __repr__(self) -> str:
        return (
            f"Network(layer_sizes={self.layer_sizes}, activation={self.activation.name!r}, "
            f"output_activation={self.output_activation.name!r})"
        )


def check_network(net: object) -> Network:
    """``net`` itself, if it is a Network; a TypeError naming the parameter otherwise."""
    if not isinstance(net, Network):
        raise TypeError(f"net must be a Network; got {type(net).__name__}")
    return net


class OverflowValueError(ValueError):
    """A number left float64's range (about ±1.8e308) although every input was finite."""


def check_trace(trace: Trace) -> None:
    """Raise OverflowValueError if some z^(l) overflowed (a = f(z) is finite when z is)."""
    for l, z in enumerate(trace.z, start=1):
        # a finite sum proves every entry finite; a Python float compares faster than a tensor
        if not math.isfinite(z.sum().item()) and not torch.isfinite(z).all():
            raise OverflowValueError(
                f"the forward pass overflows float64: z^({l}) is not finite; x, the weights "
                "or the biases are too large: use smaller numbers"
            )


def propagate(
    weights: Sequence[Tensor], biases: Sequence[Tensor], fs: Sequence[Activation], x: Tensor
) -> Trace:
    """The forward pass on raw tensors, shared by ``Network.forward`` and autograd."""
    zs, activations = [], [x]
    for w, b, f in zip(weights, biases, fs, strict=True):
        z = activations[-1] @ w.T + b  # z^(l) = W^(l) a^(l-1) + b^(l), one row per sample
        zs.append(z)
        activations.append(f.f(z))
    return Trace(z=zs, a=activations)


LOSSES = ("cross_entropy", "squared")


def check_loss(kind: object, net: Network | None = None, parameter: str = "loss") -> str:
    """The loss's name, if it is one of LOSSES and makes sense for the network's output."""
    if not isinstance(kind, str):
        raise TypeError(f"{parameter} must be a string, one of {list(LOSSES)}; got {kind!r}")
    if kind not in LOSSES:
        raise ValueError(f"{parameter} must be one of {list(LOSSES)}; got {kind!r}")
    if kind == "cross_entropy" and net is not None:
        output = net.output_activation.name
        if output not in ("softmax", "sigmoid"):
            raise ValueError(
                f"{parameter}='cross_entropy' needs probabilities out of the network "
                f"(output_activation 'softmax' or 'sigmoid'); this network's is {output!r}"
            )
        n_out = net.layer_sizes[-1]
        if output == "sigmoid" and n_out != 1:
            raise ValueError(
                f"{parameter}='cross_entropy' with a sigmoid output needs one output neuron; "
                f"this network has {n_out}: use output_activation='softmax' for {n_out} classes"
            )
    return kind


def check_probabilities(tensor: Tensor, parameter: str, sums_to_one: bool) -> None:
    """Cross-entropy needs probabilities: entries in [0, 1], rows summing to 1 for softmax."""
    if (tensor < 0).any() or (tensor > 1).any():
        worst = tensor[(tensor < 0) | (tensor > 1)][0].item()
        raise ValueError(
            f"{parameter} must hold probabilities between 0 and 1 for cross-entropy; "
            f"got {worst:.6g}"
        )
    if sums_to_one:
        sums = tensor.sum(dim=-1).reshape(-1)
        # 1e-9 forgives rounding in a distribution typed with a few digits or computed.
        off = (sums - 1).abs() > 1e-9
        if off.any():
            raise ValueError(
                f"{parameter} must sum to 1 over the outputs for cross-entropy with a softmax "
                f"output (one-hot or a distribution); a row sums to {sums[off][0].item():.6g}"
            )


def loss(y: ArrayLike, Y: ArrayLike, kind: str = "squared") -> float:
    """The loss of a prediction y against the target Y; for a batch, the mean over samples.

    ``kind="squared"``: l = ½ Σ_j (y_j − Y_j)². ``kind="cross_entropy"``: y holds
    probabilities; l = −Σ_j Y_j log y_j over several outputs (a softmax), or
    l = −[Y log y + (1 − Y) log(1 − y)] for one output (a sigmoid).
    """
    kind = check_loss(kind, parameter="kind")
    prediction = as_tensor(y, "y", ndim=(1, 2))
    target = as_tensor(Y, "Y", ndim=(0, 1, 2))
    if prediction.shape != target.shape:
        if prediction.shape[-1] != 1 or target.shape != prediction.shape[:-1]:
            raise ValueError(
                f"Y must have the same shape as y {tuple(prediction.shape)}; "
                f"got {tuple(target.shape)}"
            )
        target = target.reshape(prediction.shape)
    if kind == "squared":
        value = squared_error(prediction, target).item()
    else:
        one_output = prediction.shape[-1] == 1
        check_probabilities(prediction, "y", sums_to_one=not one_output)
        check_probabilities(target, "Y", sums_to_one=not one_output)
        # xlogy(0, 0) = 0: an output the target gives no weight costs nothing.
        per_sample = -torch.special.xlogy(target, prediction).sum(dim=-1)
        if one_output:
            per_sample -= torch.special.xlogy(1 - target, 1 - prediction).sum(dim=-1)
        value = per_sample.mean().item()
        if value == math.inf:
            raise ValueError(
                "the cross-entropy is infinite: y gives probability 0 to an outcome Y expects; "
                "compute it from the logits z^(L) (explain, the gradient functions and train do)"
            )
    return checked_loss_value(value)


def checked_loss_value(value: float) -> float:
    """The loss, unless it overflowed float64."""
    if not math.isfinite(value):
        raise OverflowValueError(
            f"the loss overflows float64 (it is {value}): x, Y, the weights or the biases "
            "are too large; use smaller numbers"
        )
    return value


def squared_error(y: Tensor, Y: Tensor) -> Tensor:
    """½ Σ_j (y_j − Y_j)², averaged over the rows of a batch; works inside autograd."""
    per_sample = 0.5 * ((y - Y) ** 2).sum(dim=-1)
    return per_sample.mean() if per_sample.ndim == 1 else per_sample


def network_loss(trace: Trace, Y: Tensor, kind: str, output: Activation) -> Tensor:
    """The loss of a forward pass; works inside autograd.

    Cross-entropy is computed from the logits z^(L), never from log y: with
    log softmax(z)_j = z_j − log Σ_i e^(z_i) and log σ(z) = −log(1 + e^(−z)) it stays finite
    and exact where y rounds to 0 or 1.
    """
    if kind == "squared":
        return squared_error(trace.output, Y)
    z = trace.z[-1]
    if output.name == "softmax":
        per_sample = -(Y * torch.log_softmax(z, dim=-1)).sum(dim=-1)
    else:
        # −[Y log σ(z) + (1 − Y) log(1 − σ(z))] = (1 − Y) z + log(1 + e^(−z)), written with
        # softplus(−z) = max(−z, 0) + log(1 + e^(−|z|)) so that no exp overflows.
        softplus = torch.clamp(-z, min=0) + torch.log1p(torch.exp(-z.abs()))
        per_sample = ((1 - Y) * z + softplus).sum(dim=-1)
    return per_sample.mean() if per_sample.ndim == 1 else per_sample


def loss_gradient(y: Tensor, Y: Tensor, kind: str) -> Tensor:
    """∇_y l, the derivative of one sample's loss with respect to each output y_j.

    Squared error: y − Y. Cross-entropy: −Y / y over a softmax, (y − Y) / (y (1 − y)) for one
    sigmoid output. BP1 multiplies it by the output's Jacobian; for cross-entropy the product
    is y − Y (see ``output_error``).
    """
    if kind == "squared":
        return y - Y
    if y.shape[-1] == 1:
        return (y - Y) / (y * (1 - y))
    return -Y / y


def notebook_network() -> Network:
    """The original notebook's 2-3-1 network: ReLU everywhere, biases 0.

    W^(1) = [[1, 0], [1, 0], [0, 0]] and W^(2) = [[1, 1, 0]].
    """
    return Network(
        weights=[[[1.0, 0.0], [1.0, 0.0], [0.0, 0.0]], [[1.0, 1.0, 0.0]]],
        biases=[[0.0, 0.0, 0.0], [0.0]],
    )


def seed_network() -> Network:
    """Deprecated name of :func:`notebook_network` (a reader heard a random seed in it)."""
    warnings.warn(
        "seed_network() is deprecated; use notebook_network(), the same network",
        DeprecationWarning,
        stacklevel=2,
    )
    return notebook_network()
