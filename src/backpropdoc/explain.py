"""The chain rule for one parameter, written out factor by factor.

For the running example the chain for w_11^(1) reads
∂l/∂w_11^(1) = (y − Y) · relu'(z_1^(2)) · w_11^(2) · relu'(z_1^(1)) · x_1 = (−1)(1)(1)(1)(2) = −2.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal, overload

from torch import Tensor

from .gradients import Gradients, error_signals
from .network import ArrayLike, Network, check_loss, check_network

_PARAMETER = re.compile(r"^\s*([wb])_?\{?(\d)(\d)?\}?\s*\^?\s*\{?\((\d+)\)\}?\s*$")


@dataclass(frozen=True)
class Parameter:
    """One weight w_jk^(l) or bias b_j^(l); indices are 1-based as in the notation."""

    kind: Literal["w", "b"]
    layer: int
    j: int
    k: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("w", "b"):
            raise ValueError(f"kind must be 'w' (a weight) or 'b' (a bias); got {self.kind!r}")
        for name, value in (("layer", self.layer), ("j", self.j), ("k", self.k)):
            if name == "k" and value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"{name} must be a whole number; got {value!r}")
        if (self.kind == "w") != (self.k is not None):
            raise ValueError(
                f"Parameter({self.kind!r}, …): a weight needs two indices (j, k), a bias one (j)"
            )

    @classmethod
    def parse(cls, name: str) -> Parameter:
        """Read ``"w_11^(1)"``, ``"w11^(1)"``, ``"w_{11}^{(1)}"`` or ``"b_1^(2)"``.

        Indices are single digits in this short form; for wider layers build
        ``Parameter("w", layer, j, k)`` directly.
        """
        if not isinstance(name, str):
            raise TypeError(f"parameter must be a string such as 'w_11^(1)'; got {name!r}")
        match = _PARAMETER.match(name)
        if match is None:
            raise ValueError(
                f"parameter must look like 'w_11^(1)' (weight) or 'b_1^(2)' (bias); got {name!r}"
            )
        kind, j, k, layer = match.groups()
        if (kind == "w") != (k is not None):
            raise ValueError(
                f"parameter {name!r}: a weight needs two indices (w_jk), a bias one (b_j)"
            )
        return cls("w" if kind == "w" else "b", int(layer), int(j), int(k) if k else None)

    @property
    def latex(self) -> str:
        """``w_{11}^{(1)}`` or ``b_{1}^{(2)}``."""
        indices = f"{self.j}{self.k}" if self.kind == "w" else f"{self.j}"
        return f"{self.kind}_{{{indices}}}^{{({self.layer})}}"

    @property
    def text(self) -> str:
        """``w_11^(1)`` or ``b_1^(2)``."""
        indices = f"{self.j}{self.k}" if self.kind == "w" else f"{self.j}"
        return f"{self.kind}_{indices}^({self.layer})"

    def check(self, net: Network) -> None:
        """Raise ValueError unless the network has this parameter."""
        self.check_sizes(check_network(net).layer_sizes)

    def check_sizes(self, sizes: list[int]) -> None:
        """Raise ValueError unless layers of these sizes (inputs first) have this parameter."""
        if not 1 <= self.layer < len(sizes):
            raise ValueError(f"parameter {self.text}: layer must be 1 … {len(sizes) - 1}")
        if not 1 <= self.j <= sizes[self.layer]:
            raise ValueError(f"parameter {self.text}: j must be 1 … {sizes[self.layer]}")
        if self.k is not None and not 1 <= self.k <= sizes[self.layer - 1]:
            raise ValueError(f"parameter {self.text}: k must be 1 … {sizes[self.layer - 1]}")

    def gradient(self, grads: Gradients) -> float:
        """This parameter's entry in a set of gradients."""
        if not isinstance(grads, Gradients):
            raise TypeError(f"grads must be Gradients; got {type(grads).__name__}")
        shapes = [tuple(w.shape) for w in grads.weights]
        sizes = [shapes[0][1], *(shape[0] for shape in shapes)] if shapes else [0]
        try:
            self.check_sizes(sizes)
        except ValueError as error:
            raise ValueError(f"{error} in these gradients") from None
        if self.kind == "w":
            assert self.k is not None
            return grads.weights[self.layer - 1][self.j - 1, self.k - 1].item()
        return grads.biases[self.layer - 1][self.j - 1].item()


def parameters(net: Network) -> list[Parameter]:
    """Every parameter, layer by layer: the weights w_jk^(l) row by row, then the biases b_j^(l)."""
    sizes = check_network(net).layer_sizes
    found: list[Parameter] = []
    for layer in range(1, len(sizes)):
        found += [
            Parameter("w", layer, j, k)
            for j in range(1, sizes[layer] + 1)
            for k in range(1, sizes[layer - 1] + 1)
        ]
        found += [Parameter("b", layer, j) for j in range(1, sizes[layer] + 1)]
    return found


@dataclass(frozen=True)
class Factor:
    """One link of the chain: a local derivative, its formula and its value.

    ``role`` says what kind of link it is: ``"loss"`` (∂l/∂y, or ∂l/∂z^(L) = δ^(L) where
    the loss and the output activation make one factor: cross-entropy, softmax),
    ``"activation"`` (f'(z)), ``"weight"`` (∂z/∂a = w), ``"input"`` (∂z/∂w = a or x),
    ``"bias"`` (∂z/∂b = 1) or ``"upstream"`` (∂l/∂a for a neuron that feeds several others:
    a sum over paths).
    """

    role: str
    derivative: str
    formula: str
    value: float

    @property
    def formula_text(self) -> str:
        """The formula in plain text, e.g. ``relu'(z_1^(2))``."""
        return _plain(self.formula)


def _number(value: float) -> str:
    text = f"{value:.6g}"
    return "0" if text == "-0" else text


@dataclass(frozen=True)
class Chain:
    """The ordered factors of ∂l/∂θ for one parameter θ and one sample."""

    parameter: Parameter
    factors: tuple[Factor, ...]

    @property
    def value(self) -> float:
        """The product of the factors: the gradient ∂l/∂θ."""
        return math.prod(f.value for f in self.factors)

    @property
    def gradient_symbol(self) -> str:
        return rf"\frac{{\partial l}}{{\partial {self.parameter.latex}}}"

    def latex(self) -> str:
        """The chain as aligned LaTeX: the symbols, then the formulas, then the numbers."""
        symbols = " ".join(f.derivative for f in self.factors)
        formulas = r" \cdot ".join(f.formula for f in self.factors)
        numbers = "".join(f"({_number(f.value)})" for f in self.factors)
        return (
            r"\begin{aligned}"
            f"{self.gradient_symbol} &= {symbols} \\\\ "
            f"&= {formulas} \\\\ "
            f"&= {numbers} = {_number(self.value)}"
            r"\end{aligned}"
        )

    def text(self) -> str:
        """The chain in plain text, one line."""
        formulas = " · ".join(f.formula_text for f in self.factors)
        numbers = "".join(f"({_number(f.value)})" for f in self.factors)
        return f"∂l/∂{self.parameter.text} = {formulas} = {numbers} = {_number(self.value)}"


@dataclass(frozen=True)
class PathSum:
    """∂l/∂θ for one parameter θ and one sample as the sum over every path from θ to the loss.

    Each path is a :class:`Chain` (its factors multiply to that path's share); where paths
    meet, their shares add. ``explain(..., paths=True)`` builds it.
    """

    parameter: Parameter
    paths: tuple[Chain, ...]

    @property
    def value(self) -> float:
        """The sum of the paths' products: the gradient ∂l/∂θ."""
        return math.fsum(chain.value for chain in self.paths)

    def latex(self) -> str:
        """One line per path (its formulas), then the numbers, then the sum."""
        gradient = rf"\frac{{\partial l}}{{\partial {self.parameter.latex}}}"
        formulas = [r" \cdot ".join(f.formula for f in chain.factors) for chain in self.paths]
        numbers = " + ".join(
            "".join(f"({_number(f.value)})" for f in chain.factors) for chain in self.paths
        )
        lines = [f"{gradient} &= {formulas[0]}", *(f"&\\quad + {f}" for f in formulas[1:])]
        lines.append(f"&= {numbers} = {_number(self.value)}")
        return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"

    def text(self) -> str:
        """The sum in plain text: one line per path, then the numbers, then the sum."""
        start = f"∂l/∂{self.parameter.text} = "
        pad = " " * (len(start) - 2)
        formulas = [" · ".join(f.formula_text for f in chain.factors) for chain in self.paths]
        numbers = " + ".join(
            "".join(f"({_number(f.value)})" for f in chain.factors) for chain in self.paths
        )
        lines = [start + formulas[0], *(f"{pad}+ {f}" for f in formulas[1:])]
        lines += [f"{pad}= {numbers}", f"{pad}= {_number(self.value)}"]
        return "\n".join(lines)


def _plain(latex: str) -> str:
    """A readable plain-text form of the few LaTeX constructs the factors use."""
    text = re.sub(r"\\operatorname\{(\w+)\}", r"\1", latex)
    text = re.sub(r"_\{(\w+)\}\^\{\((\d+)\)\}", r"_\1^(\2)", text)
    text = re.sub(r"\\sum_\{(\w+)\}", r"Σ_\1", text)
    replacements = {r"\sigma": "σ", r"\tanh": "tanh", r"\delta": "δ", r"\,": " ", "{": "", "}": ""}
    for old, new in replacements.items():
        text = text.replace(old, new)
    return text


def _derivative(top: str, bottom: str) -> str:
    return rf"\frac{{\partial {top}}}{{\partial {bottom}}}"


@overload
def explain(
    net: Network,
    x: ArrayLike,
    Y: ArrayLike,
    parameter: str | Parameter,
    *,
    loss: str = ...,
    paths: Literal[False] = ...,
) -> Chain: ...


@overload
def explain(
    net: Network,
    x: ArrayLike,
    Y: ArrayLike,
    parameter: str | Parameter,
    *,
    loss: str = ...,
    paths: Literal[True],
) -> PathSum: ...


def explain(
    net: Network,
    x: ArrayLike,
    Y: ArrayLike,
    parameter: str | Parameter,
    *,
    loss: str = "squared",
    paths: bool = False,
) -> Chain | PathSum:
    """The chain of factors whose product is ∂l/∂θ for one sample.

    Walking from θ towards the loss, the path is unique while each layer above has a single
    neuron, and every link is shown. Where a neuron feeds several neurons, the rest of the
    chain is the sum over those paths, ∂l/∂a_j^(l) = Σ_i w_ij^(l+1) δ_i^(l+1), shown as one
    ``"upstream"`` factor.

    Args:
        net: the network.
        x: one sample, shape (n_in,); the chain is per sample.
        Y: its target.
        parameter: ``"w_11^(1)"``, ``"b_1^(2)"`` … or a :class:`Parameter`.
        loss: ``"squared"`` or ``"cross_entropy"``. With cross-entropy, or a softmax output,
            the chain starts at ∂l/∂z_j^(L) = δ_j^(L), BP1 in one factor.
        paths: ``True`` shows the sum in full instead of an ``"upstream"`` factor: a
            :class:`PathSum` with one chain per path from θ to the loss, every link a local
            derivative of :func:`~backpropdoc.computational_graph` (there the loss and a
            softmax output are separate links, ∂l/∂y_i and ∂y_i/∂z_j).
    """
    net = check_network(net)
    kind = check_loss(loss, net)
    if not isinstance(paths, bool):
        raise TypeError(f"paths must be True or False; got {paths!r}")
    theta = parameter if isinstance(parameter, Parameter) else Parameter.parse(parameter)
    theta.check(net)
    X = net.check_input(x)
    if X.ndim != 1:
        raise ValueError(f"x must be one sample of shape ({net.layer_sizes[0]},) to explain")
    target = net.check_target(Y, X, kind)
    if paths:
        return _path_sum(net, X, target, theta, kind)
    trace = net.forward(X)
    L = len(trace.z)
    single_output = net.layer_sizes[-1] == 1

    def a_symbol(layer: int, j: int) -> str:
        if layer == 0:
            return f"x_{j}"
        if layer == L:
            return "y" if single_output else f"y_{j}"
        return f"a_{j}^{{({layer})}}"

    def z_symbol(layer: int, j: int) -> str:
        return f"z_{j}^{{({layer})}}"

    # Built from the parameter upwards, then reversed to read from the loss down.
    layer, j = theta.layer, theta.j
    if theta.kind == "w":
        assert theta.k is not None
        factors = [
            Factor(
                "input",
                _derivative(z_symbol(layer, j), theta.latex),
                a_symbol(layer - 1, theta.k),
                trace.a[layer - 1][theta.k - 1].item(),
            )
        ]
    else:
        factors = [Factor("bias", _derivative(z_symbol(layer, j), theta.latex), "1", 1.0)]
    while True:
        f = net.activation_of(layer)
        if layer == L and (kind == "cross_entropy" or not f.elementwise):
            # ∂l/∂y and the output's Jacobian multiply to δ_j^(L) (BP1); with cross-entropy
            # that is y_j − Y_j, and over a softmax every output takes part ([i = j] is 1 if
            # i = j, else 0).
            y, label = a_symbol(L, j), ("Y" if single_output else f"Y_{j}")
            formula = (
                f"({y} - {label})"
                if kind == "cross_entropy"
                else rf"\sum_{{i}} (y_i - Y_i)\,y_i([i = {j}] - {y})"
            )
            factors.append(
                Factor(
                    "loss",
                    rf"\frac{{\partial l}}{{\partial {z_symbol(L, j)}}}",
                    formula,
                    error_signals(net, trace, target, loss=kind)[L - 1][0, j - 1].item(),
                )
            )
            break
        factors.append(
            Factor(
                "activation",
                _derivative(a_symbol(layer, j), z_symbol(layer, j)),
                f"{f.latex}'({z_symbol(layer, j)})",
                f.df(trace.z[layer - 1][j - 1 : j]).item(),
            )
        )
        if layer == L:
            y, label = a_symbol(L, j), ("Y" if single_output else f"Y_{j}")
            factors.append(
                Factor(
                    "loss",
                    rf"\frac{{\partial l}}{{\partial {y}}}",
                    f"({y} - {label})",
                    (trace.output[j - 1] - target[j - 1]).item(),
                )
            )
            break
        if net.layer_sizes[layer + 1] > 1:
            delta = error_signals(net, trace, target, loss=kind)[layer]
            weights = net.weights[layer][:, j - 1]
            factors.append(
                Factor(
                    "upstream",
                    rf"\frac{{\partial l}}{{\partial {a_symbol(layer, j)}}}",
                    rf"\sum_{{i}} w_{{i{j}}}^{{({layer + 1})}}\,\delta_i^{{({layer + 1})}}",
                    (weights @ delta[0]).item(),
                )
            )
            break
        factors.append(
            Factor(
                "weight",
                _derivative(z_symbol(layer + 1, 1), a_symbol(layer, j)),
                f"w_{{1{j}}}^{{({layer + 1})}}",
                net.weights[layer][0, j - 1].item(),
            )
        )
        layer, j = layer + 1, 1
    return Chain(theta, tuple(reversed(factors)))


def _path_sum(net: Network, x: Tensor, Y: Tensor, theta: Parameter, kind: str) -> PathSum:
    """Every path from θ to l in the computational graph, each as a chain read from the loss."""
    from .graph import computational_graph  # graph.py builds on this module

    graph = computational_graph(net, x, Y, loss=kind)
    kinds = {node.name: node.kind for node in graph}
    chains = []
    for path in graph.paths(theta.text):
        factors = []
        for edge in reversed(path):
            source, target = graph.node(edge.source), graph.node(edge.target)
            symbol = _derivative(target.latex, source.latex)
            if kinds[edge.source] == "output":
                factor = Factor(
                    "loss",
                    rf"\frac{{\partial l}}{{\partial {source.latex}}}",
                    edge.formula,
                    edge.derivative,
                )
            elif kinds[edge.source] == "z":
                f = net.activation_of(source.layer)
                formula = (
                    f"{f.latex}'({source.latex})"
                    if f.elementwise
                    else re.sub(r"y_(\d+)", r"y_{\1}", edge.formula)
                )
                factor = Factor("activation", symbol, formula, edge.derivative)
            elif kinds[edge.source] in ("input", "activation"):
                weight = graph.node(edge.formula).latex
                factor = Factor("weight", symbol, weight, edge.derivative)
            elif kinds[edge.source] == "bias":
                factor = Factor("bias", symbol, "1", edge.derivative)
            else:
                factor = Factor("input", symbol, graph.node(edge.formula).latex, edge.derivative)
            factors.append(factor)
        chains.append(Chain(theta, tuple(factors)))
    return PathSum(theta, tuple(chains))
