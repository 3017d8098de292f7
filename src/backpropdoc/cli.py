"""``python -m backpropdoc``: the worked example of the seed network, printed step by step."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence

from torch import Tensor

from . import __version__
from .explain import Parameter, explain, parameters
from .gradients import autograd_gradients, manual_gradients, numerical_gradients
from .labels import LABELS, LANGUAGES, default_language
from .network import Network, loss, notebook_network
from .training import sgd_step, train


def _number(value: float) -> str:
    text = f"{value:.6g}"
    return "0" if text == "-0" else text


def _vector(tensor: Tensor) -> str:
    return "(" + ", ".join(_number(v) for v in tensor.reshape(-1).tolist()) + ")"


def _matrix(tensor: Tensor) -> str:
    return "[" + ", ".join(_vector(row).strip("()").join("[]") for row in tensor) + "]"


def _finite_float(name: str) -> type[float]:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a number; got {text!r}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{name} must be finite; got {text!r}")
        return value

    parse.__name__ = name
    return parse  # type: ignore[return-value]


def _positive_float(text: str) -> float:
    value = _finite_float("lr")(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"lr must be greater than 0; got {text!r}")
    return value


def _steps(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"steps must be a whole number; got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"steps must be at least 1; got {text!r}")
    return value


def _parameter(text: str) -> Parameter:
    try:
        return Parameter.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backpropdoc",
        description=(
            "Backpropagation on the seed 2-3-1 network (two inputs, three ReLU hidden "
            "neurons, one ReLU output, loss l = 1/2 (y - Y)^2), computed step by step."
        ),
        epilog=(
            "examples:\n"
            "  backpropdoc                       the worked example: x = (2, 3), Y = 5\n"
            "  backpropdoc --param w_12^(1)      explain another weight\n"
            "  backpropdoc train --lr 0.02 --steps 20\n"
            "  backpropdoc --lang zh             中文输出"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "command",
        nargs="?",
        choices=("example", "train"),
        default="example",
        help="'example' (default): forward pass, gradients three ways, chain rule and one "
        "update; 'train': the loss after every gradient-descent step",
    )
    parser.add_argument(
        "--x",
        nargs=2,
        type=_finite_float("x"),
        default=[2.0, 3.0],
        metavar=("X1", "X2"),
        help="the two input features x_1, x_2 (default: 2 3)",
    )
    parser.add_argument(
        "--Y", type=_finite_float("Y"), default=5.0, help="the target (label) Y (default: 5)"
    )
    parser.add_argument(
        "--lr",
        type=_positive_float,
        default=0.5,
        help="the learning rate eta of gradient descent, > 0 (default: 0.5, the seed's)",
    )
    parser.add_argument(
        "--steps", type=_steps, default=5, help="how many updates 'train' runs (default: 5)"
    )
    parser.add_argument(
        "--param",
        type=_parameter,
        default=Parameter.parse("w_11^(1)"),
        help="which parameter's chain rule to show, e.g. w_11^(1), w_13^(2), b_1^(2) "
        "(default: w_11^(1))",
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None,
        help="language of the labels (default: from the locale, else en)",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def run_example(
    net: Network, x: list[float], Y: float, lr: float, theta: Parameter, words: dict[str, str]
) -> list[str]:
    trace = net.forward(x)
    lines = [words["forward"]]
    for layer, (z, a) in enumerate(zip(trace.z, trace.a[1:], strict=True), start=1):
        lines.append(f"  z^({layer}) = {_vector(z)}   a^({layer}) = {_vector(a)}")
    lines += [
        f"  y = {_vector(trace.output)}   {words['loss']} l = {_number(loss(trace.output, Y))}"
    ]

    methods = [manual_gradients, autograd_gradients, numerical_gradients]
    by_method = [method(net, x, Y) for method in methods]
    header = [words["parameter"], words["manual"], words["autograd"], words["numerical"]]
    lines += ["", words["gradients"], "  " + "".join(f"{h:<14}" for h in header)]
    for p in parameters(net):
        cells = [p.text] + [_number(p.gradient(g)) for g in by_method]
        lines.append("  " + "".join(f"{c:<14}" for c in cells))

    lines += [
        "",
        words["chain"].format(parameter=theta.text),
        "  " + explain(net, x, Y, theta).text(),
    ]

    new = sgd_step(net, by_method[0], lr)
    lines += ["", words["step"].format(lr=_number(lr))]
    for layer, (old_w, new_w) in enumerate(zip(net.weights, new.weights, strict=True), start=1):
        lines.append(
            f"  W^({layer}): {words['old_weights']} {_matrix(old_w)}"
            f" -> {words['new_weights']} {_matrix(new_w)}"
        )
    for layer, (old_b, new_b) in enumerate(zip(net.biases, new.biases, strict=True), start=1):
        lines.append(
            f"  b^({layer}): {words['old_weights']} {_vector(old_b)}"
            f" -> {words['new_weights']} {_vector(new_b)}"
        )
    lines.append(f"  {words['loss_after']}: {_number(loss(new.forward(x).output, Y))}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    words = LABELS[args.lang or default_language()]
    net = notebook_network()
    try:
        args.param.check(net)
    except ValueError as error:
        parser.error(f"argument --param: {error}")
    lines = [
        words["title"].format(sizes="-".join(map(str, net.layer_sizes))),
        f"{words['input']} x = {_vector(net.check_input(args.x))}, {words['target']} Y = "
        f"{_number(args.Y)}",
        "",
    ]
    if args.command == "train":
        try:
            result = train(net, args.x, args.Y, args.lr, args.steps)
        except ValueError as error:
            parser.exit(1, f"backpropdoc: error: {error}\n")
        lines.append(words["train"].format(steps=args.steps, lr=_number(args.lr)))
        lines += [
            f"  {words['step_label']} {i:>3}: {words['loss']} = {_number(value)}"
            for i, value in enumerate(result.losses)
        ]
    else:
        lines += run_example(net, args.x, args.Y, args.lr, args.param, words)
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
