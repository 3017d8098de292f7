"""The computational graph of a network on one sample: every value, every gradient, every edge.

Each quantity of the forward pass is a node: the inputs x_k, the weights w_jk^(l) and biases
b_j^(l), the weighted sums z_j^(l), the activations a_j^(l) (the last layer's are the prediction
y), and the loss l. An edge u → v carries the local derivative ∂v/∂u. A node's gradient ∂l/∂u
comes from the package's hand-derived backward pass (BP1–BP4, no autograd); it equals the sum,
over every path from u to l, of the product of the local derivatives along the path.

An edge is *inactive* when every path through it passes an activation whose slope is 0 on
this sample (relu'(z) = 0 for z ≤ 0): no gradient flows along it, whatever the other factors.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Literal

import torch

from .explain import _plain
from .gradients import error_signals, manual_gradients
from .network import (
    ArrayLike,
    Network,
    OverflowValueError,
    check_loss,
    check_network,
    loss_gradient,
    network_loss,
)

NodeKind = Literal["input", "weight", "bias", "z", "activation", "output", "loss"]
#: Nodes nothing in the graph computes: the sample and the parameters.
LEAVES: tuple[NodeKind, ...] = ("input", "weight", "bias")


@dataclass(frozen=True)
class Node:
    """One quantity of the forward pass on one sample.

    Attributes:
        name: its name in the site's text notation: ``x_1``, ``w_11^(1)``, ``b_1^(2)``,
            ``z_3^(1)``, ``a_2^(1)``, ``y`` (``y_1``, ``y_2`` … for several outputs), ``l``.
        kind: ``"input"``, ``"weight"``, ``"bias"``, ``"z"``, ``"activation"`` (a hidden
            a_j^(l)), ``"output"`` (y_j = a_j^(L)) or ``"loss"``.
        layer: l for w, b, z and a; 0 for an input; L for an output; L + 1 for the loss.
        index: (j, k) for a weight, (j,) for the other per-neuron quantities and inputs,
            () for the loss.
        value: its forward value.
        grad: ∂l/∂(this node).
        active: False when every path from an input or parameter through this node to the
            loss passes an activation with slope 0, so no gradient reaches an input or a
            parameter through it. (The a_j^(l) above a flat activation may still have a
            nonzero ∂l/∂a_j^(l): it is the slope below it that stops the flow.)
    """

    name: str
    kind: NodeKind
    layer: int
    index: tuple[int, ...]
    value: float
    grad: float
    active: bool = True

    @property
    def latex(self) -> str:
        """The name as LaTeX: ``w_{11}^{(1)}``, ``x_{1}``, ``y``, ``l``."""
        base, _, rest = self.name.partition("_")
        if not rest:
            return base
        indices, _, layer = rest.partition("^")
        return f"{base}_{{{indices}}}" + (f"^{{{layer}}}" if layer else "")


@dataclass(frozen=True)
class Edge:
    """``source`` feeds ``target`` directly; ``derivative`` is the local ∂target/∂source.

    Attributes:
        source: the name of the node the edge leaves.
        target: the name of the node it enters.
        derivative: ∂target/∂source on this sample, the other inputs of target held fixed.
        formula: that derivative in the site's text notation, e.g. ``w_11^(1)`` (for
            x_1 → z_1^(1)), ``x_1`` (for w_11^(1) → z_1^(1)), ``1`` (a bias),
            ``relu'(z_1^(1))``, ``(y - Y)``.
        active: False when every path through this edge passes an activation with slope 0.
    """

    source: str
    target: str
    derivative: float
    formula: str
    active: bool = True

    @property
    def is_activation(self) -> bool:
        """True for z_j^(l) → a_i^(l): the edges whose slope can switch a path off."""
        return self.source.startswith("z_")


@dataclass(frozen=True)
class Graph:
    """The nodes in the order of the forward pass (leaves of a layer first), and the edges.

    Build one with :func:`computational_graph`.
    """

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    _by_name: dict[str, Node] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {node.name: node for node in self.nodes})

    def node(self, name: str) -> Node:
        """The node called ``name`` (``"w_11^(1)"``, ``"z_3^(1)"``, ``"y"``, ``"l"`` …)."""
        if not isinstance(name, str):
            raise TypeError(f"name must be a node's name such as 'z_1^(1)'; got {name!r}")
        try:
            return self._by_name[name]
        except KeyError:
            raise ValueError(
                f"name must be one of the graph's nodes ({', '.join(self._by_name)}); got {name!r}"
            ) from None

    def edges_into(self, name: str) -> list[Edge]:
        """The edges entering the node ``name``: what it is computed from."""
        self.node(name)
        return [edge for edge in self.edges if edge.target == name]

    def edges_out_of(self, name: str) -> list[Edge]:
        """The edges leaving the node ``name``: what it feeds."""
        self.node(name)
        return [edge for edge in self.edges if edge.source == name]

    def paths(self, source: str, target: str = "l") -> list[tuple[Edge, ...]]:
        """Every path from ``source`` to ``target``, each as its edges in order.

        The chain rule for a graph: ∂target/∂source is the sum over these paths of the
        product of the local derivatives along each (see :meth:`path_sum`).
        """
        self.node(target)
        found: list[tuple[Edge, ...]] = []

        def walk(name: str, so_far: tuple[Edge, ...]) -> None:
            if name == target:
                found.append(so_far)
                return
            for edge in self.edges_out_of(name):
                walk(edge.target, (*so_far, edge))

        walk(self.node(source).name, ())
        return found

    def path_sum(self, source: str) -> float:
        """Σ over the paths from ``source`` to l of Π (local derivatives): ∂l/∂(source)."""
        return math.fsum(math.prod(edge.derivative for edge in path) for path in self.paths(source))

    def __iter__(self) -> Iterator[Node]:
        return iter(self.nodes)


def _indices(*numbers: int) -> str:
    # w_11^(1) as on the site; with a two-digit index the digits would run together.
    return ("," if any(n > 9 for n in numbers) else "").join(str(n) for n in numbers)


def _slope_formula(latex: str, z: str) -> str:
    """``relu'(z_1^(1))``, ``σ'(z_1^(1))``: f' written as explain writes it."""
    return _plain(f"{latex}'({z})")


def computational_graph(
    net: Network, x: ArrayLike, Y: ArrayLike, *, loss: str = "squared"
) -> Graph:
    """The computational graph of ``net`` on one sample, with every value and gradient.

    Args:
        net: the network.
        x: one sample, shape (n_in,).
        Y: its target, shaped like the output (a plain number for one output neuron).
        loss: ``"squared"`` (l = ½ Σ (y − Y)²) or ``"cross_entropy"`` (softmax or sigmoid
            output; the edges y_j → l then carry ∂l/∂y_j = −Y_j / y_j, or
            (y − Y) / (y (1 − y)) for one sigmoid output).

    Returns:
        The :class:`Graph`: nodes x_k, w_jk^(l), b_j^(l), z_j^(l), a_j^(l) (y for the last
        layer) and l, in forward order; one edge per direct dependency.
    """
    net = check_network(net)
    kind = check_loss(loss, net)
    X = net.check_input(x)
    if X.ndim != 1:
        raise ValueError(
            f"x must be one sample of shape ({net.layer_sizes[0]},) for its graph; "
            f"got shape {tuple(X.shape)}"
        )
    target = net.check_target(Y, X, kind)
    trace = net.forward(X)
    value = network_loss(trace, target, kind, net.output_activation).item()
    # Gradients by hand: δ^(l) from BP1 and BP2, ∂l/∂W and ∂l/∂b from BP3 and BP4.
    grads = manual_gradients(net, X, target, loss=kind)
    delta = [d[0] for d in error_signals(net, trace, target, loss=kind)]
    W, sizes, L = net.weights, net.layer_sizes, len(net.weights)
    y_grad = loss_gradient(trace.output, target, kind)
    if not torch.isfinite(y_grad).all():
        raise OverflowValueError(
            "∂l/∂y is infinite: the output rounds to 0 or 1 where the target expects "
            "otherwise; the graph's edge y → l has no finite derivative here"
        )
    single_output = sizes[-1] == 1

    def a_name(layer: int, j: int) -> str:
        if layer == 0:
            return f"x_{j}"
        if layer == L:
            return "y" if single_output else f"y_{j}"
        return f"a_{j}^({layer})"

    def z_name(layer: int, j: int) -> str:
        return f"z_{j}^({layer})"

    nodes: list[Node] = [
        # ∂l/∂x = (W^(1))ᵀ δ^(1): BP2's first step, one layer further down
        Node(a_name(0, k), "input", 0, (k,), X[k - 1].item(), (delta[0] @ W[0])[k - 1].item())
        for k in range(1, sizes[0] + 1)
    ]
    edges: list[Edge] = []
    for layer in range(1, L + 1):
        f = net.activation_of(layer)
        a_below, a = trace.a[layer - 1], trace.a[layer]
        z = trace.z[layer - 1]
        # ∂l/∂a^(l) = (W^(l+1))ᵀ δ^(l+1) below the output; ∂l/∂y = ∇_y l at the output
        a_grad = y_grad if layer == L else delta[layer] @ W[layer]
        for j in range(1, sizes[layer] + 1):
            for k in range(1, sizes[layer - 1] + 1):
                w = Node(
                    f"w_{_indices(j, k)}^({layer})",
                    "weight",
                    layer,
                    (j, k),
                    W[layer - 1][j - 1, k - 1].item(),
                    grads.weights[layer - 1][j - 1, k - 1].item(),
                )
                nodes.append(w)
                below = a_name(layer - 1, k)
                edges.append(Edge(w.name, z_name(layer, j), a_below[k - 1].item(), below))
                edges.append(Edge(below, z_name(layer, j), w.value, w.name))
        for j in range(1, sizes[layer] + 1):
            b = Node(
                f"b_{j}^({layer})",
                "bias",
                layer,
                (j,),
                net.biases[layer - 1][j - 1].item(),
                grads.biases[layer - 1][j - 1].item(),
            )
            nodes.append(b)
            edges.append(Edge(b.name, z_name(layer, j), 1.0, "1"))
        for j in range(1, sizes[layer] + 1):
            nodes.append(
                Node(
                    z_name(layer, j),
                    "z",
                    layer,
                    (j,),
                    z[j - 1].item(),
                    delta[layer - 1][j - 1].item(),
                )
            )
        for j in range(1, sizes[layer] + 1):
            nodes.append(
                Node(
                    a_name(layer, j),
                    "output" if layer == L else "activation",
                    layer,
                    (j,),
                    a[j - 1].item(),
                    a_grad[j - 1].item(),
                )
            )
        if f.elementwise:
            slopes = f.df(z)
            edges += [
                Edge(
                    z_name(layer, j),
                    a_name(layer, j),
                    slopes[j - 1].item(),
                    _slope_formula(f.latex, z_name(layer, j)),
                )
                for j in range(1, sizes[layer] + 1)
            ]
        else:
            # softmax: ∂y_i/∂z_j = y_i ([i = j] − y_j), every z feeds every y
            jacobian = f.jacobian(z)
            for j in range(1, sizes[layer] + 1):
                for i in range(1, sizes[layer] + 1):
                    y_i, y_j = a_name(layer, i), a_name(layer, j)
                    formula = f"{y_i}(1 - {y_i})" if i == j else f"(-{y_i} {y_j})"
                    edges.append(
                        Edge(z_name(layer, j), y_i, jacobian[i - 1, j - 1].item(), formula)
                    )
    if kind == "squared":
        loss_formulas = [
            f"({a_name(L, j)} - {'Y' if single_output else f'Y_{j}'})"
            for j in range(1, sizes[L] + 1)
        ]
    elif single_output:
        loss_formulas = ["((y - Y) / (y (1 - y)))"]
    else:
        loss_formulas = [f"(-Y_{j} / y_{j})" for j in range(1, sizes[L] + 1)]
    edges += [
        Edge(a_name(L, j), "l", y_grad[j - 1].item(), loss_formulas[j - 1])
        for j in range(1, sizes[L] + 1)
    ]
    nodes.append(Node("l", "loss", L + 1, (), value, 1.0))
    return _mark_inactive(nodes, edges)


def _mark_inactive(nodes: list[Node], edges: list[Edge]) -> Graph:
    """Mark what lies only on paths through an activation with slope 0 (relu'(z ≤ 0) = 0)."""

    def open_(edge: Edge) -> bool:
        return not (edge.is_activation and edge.derivative == 0)

    # Nodes are in forward order, so one pass each way settles what reaches what.
    from_leaves = {node.name: node.kind in LEAVES for node in nodes}
    for node in nodes:
        from_leaves[node.name] = from_leaves[node.name] or any(
            from_leaves[e.source] and open_(e) for e in edges if e.target == node.name
        )
    to_loss = {node.name: node.kind == "loss" for node in nodes}
    for node in reversed(nodes):
        to_loss[node.name] = to_loss[node.name] or any(
            to_loss[e.target] and open_(e) for e in edges if e.source == node.name
        )
    return Graph(
        nodes=tuple(
            replace(node, active=from_leaves[node.name] and to_loss[node.name]) for node in nodes
        ),
        edges=tuple(
            replace(e, active=open_(e) and from_leaves[e.source] and to_loss[e.target])
            for e in edges
        ),
    )
