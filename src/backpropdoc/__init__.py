"""Backpropagation on one tiny network, derived by hand and checked against PyTorch."""

from .explain import Chain, Factor, Parameter, PathSum, explain, parameters
from .gradients import (
    Gradients,
    autograd_gradients,
    error_signals,
    manual_gradients,
    numerical_gradients,
)
from .graph import Edge, Graph, Node, computational_graph
from .initialisation import random_network
from .network import (
    ACTIVATIONS,
    LOSSES,
    Activation,
    Network,
    Trace,
    loss,
    loss_gradient,
    notebook_network,
    seed_network,
)
from .training import TrainResult, sgd_step, train

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "Activation",
    "Chain",
    "Edge",
    "Factor",
    "Gradients",
    "Graph",
    "Network",
    "Node",
    "Parameter",
    "PathSum",
    "Trace",
    "TrainResult",
    "__version__",
    "autograd_gradients",
    "computational_graph",
    "error_signals",
    "explain",
    "loss",
    "loss_gradient",
    "manual_gradients",
    "notebook_network",
    "numerical_gradients",
    "parameters",
    "random_network",
    "seed_network",
    "sgd_step",
    "train",
]
