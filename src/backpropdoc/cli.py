"""``backpropdoc`` (or ``python -m backpropdoc``): the worked example, training and the chain rule.

Subcommands ``example`` (the default), ``train`` and ``explain``; ``--lang zh`` or a Chinese
locale prints everything in Chinese, help and errors included. Exit codes: 0 success, 2 bad
usage or input (one line naming the option), 130 interrupted (Ctrl-C), 141 the output's
reader left early (``| head``).
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from typing import Any, NoReturn, TextIO

from . import __version__
from .explain import Parameter, explain, parameters
from .gradients import Gradients, autograd_gradients, manual_gradients, numerical_gradients
from .labels import ARGPARSE_ZH, LABELS, LANGUAGES, default_language
from .network import Network, loss, notebook_network
from .training import sgd_step, train

#: The exit codes: success, bad usage or input, Ctrl-C, and the reader closing our output
#: early (128 + SIGPIPE, what a shell reports for a tool that SIGPIPE stopped).
EXIT_OK, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_BROKEN_PIPE = 0, 2, 130, 141
COMMANDS = ("example", "train", "explain")
_TOP_OPTIONS = ("--lang", "-h", "--help", "--version")


# ---- numbers and columns ------------------------------------------------------------------


def _number(value: float) -> str:
    text = f"{value:.6g}"
    return "0" if text == "-0" else text


def _vector(values: Sequence[float]) -> str:
    return "(" + ", ".join(_number(v) for v in values) + ")"


def _matrix(rows: list[list[float]]) -> str:
    return "[" + ", ".join("[" + ", ".join(_number(v) for v in row) + "]" for row in rows) + "]"


def display_width(text: str) -> int:
    """Columns a terminal gives ``text``: two for a wide (CJK) character, one otherwise."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


#: Chinese typography keeps these at the end of a line, never at the start of the next, and
#: an opening bracket or quote with the character after it.
_NO_LINE_START = "，。、；：？！）」』”’》"
_TOKEN = re.compile(r"\s+|[^\s\u2e80-\u9fff\uff00-\uffef]+|[（「『“‘《]*.")


def _wrap(text: str, width: int) -> list[str]:
    """Greedy line breaking by display width: between words, or between any two CJK characters."""
    lines, line = [], ""
    for token in _TOKEN.findall(text):
        if token.isspace():
            token = " "
        too_long = display_width(line + token.rstrip()) > width
        if line and too_long and token not in _NO_LINE_START:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    return [*lines, line.rstrip()] if line.strip() else lines


# ---- argparse, in the reader's language ---------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # argparse takes "-1e155" for an option (it knows only -1 and -1.5 as numbers)
        self._negative_number_matcher = re.compile(
            r"^-(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$|^-(inf|infinity|nan)$", re.IGNORECASE
        )

    def error(self, message: str) -> NoReturn:
        # One line that names the option; the usage is one `--help` away.
        _fail(self.prog, message)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def _split_lines(self, text: str, width: int) -> list[str]:
        return _wrap(text, width)

    def format_help(self) -> str:
        # argparse ends every section heading with ":"; a Chinese heading takes "："
        return re.sub(r"^(\S.*[\u4e00-\u9fff]):$", r"\1：", super().format_help(), flags=re.M)


def _argparse_text(message: str) -> str:
    """One of argparse's messages, in Chinese inside ``_argparse_in("zh")``."""
    translate: Callable[[str], str] = argparse._  # type: ignore[attr-defined]
    return translate(message)


def _fail(prog: str, message: str) -> NoReturn:
    text = _argparse_text("%(prog)s: error: %(message)s\n")
    sys.stderr.write(text % {"prog": prog, "message": message})
    raise SystemExit(EXIT_USAGE)


@contextlib.contextmanager
def _argparse_in(language: str) -> Iterator[None]:
    """argparse ships no translations: swap Chinese in for its few messages while we use it."""
    if language != "zh":
        yield
        return
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    setattr(argparse, "_", lambda message: ARGPARSE_ZH.get(message, message))  # noqa: B010
    setattr(  # noqa: B010
        argparse,
        "ngettext",
        lambda one, many, n: ARGPARSE_ZH.get(one if n == 1 else many, one if n == 1 else many),
    )
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def _language(argv: Sequence[str]) -> str:
    """``--lang`` from anywhere in argv (the help must be built in it), else the locale's."""
    for i, arg in enumerate(argv):
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else arg[7:]
        if (arg == "--lang" or arg.startswith("--lang=")) and value in LANGUAGES:
            return value
    return default_language()


def _with_command(argv: list[str]) -> list[str]:
    """``example`` put in where the command is left out: ``backpropdoc --x 1 1`` means it."""
    i = 0  # skip the options that come before a command
    while i < len(argv) and (argv[i] in _TOP_OPTIONS or argv[i].startswith("--lang=")):
        i += 2 if argv[i] == "--lang" else 1
    if i > len(argv) or {"-h", "--help", "--version"} & set(argv[:i]):
        return argv
    if i < len(argv) and not argv[i].startswith("-"):
        return argv  # a command, or a misspelt one that argparse reports
    return [*argv[:i], "example", *argv[i:]]


def _finite(words: dict[str, str], positive: bool = False) -> Callable[[str], float]:
    def number(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(words["not_number"].format(text=text)) from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(words["not_finite"].format(text=text))
        if positive and value <= 0:
            raise argparse.ArgumentTypeError(words["not_positive"].format(text=text))
        return value

    return number


def _steps(words: dict[str, str]) -> Callable[[str], int]:
    def steps(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(words["not_whole"].format(text=text)) from None
        if value < 1:
            raise argparse.ArgumentTypeError(words["too_few_steps"].format(text=text))
        return value

    return steps


def _parameter(words: dict[str, str], sizes: list[int]) -> Callable[[str], Parameter]:
    def parameter(text: str) -> Parameter:
        try:
            theta = Parameter.parse(text)
        except ValueError:
            raise argparse.ArgumentTypeError(words["bad_parameter"].format(text=text)) from None
        indices = [("l", theta.layer, len(sizes) - 1)]
        if 1 <= theta.layer < len(sizes):
            indices.append(("j", theta.j, sizes[theta.layer]))
            if theta.k is not None:
                indices.append(("k", theta.k, sizes[theta.layer - 1]))
        for index, value, top in indices:
            if not 1 <= value <= top:
                raise argparse.ArgumentTypeError(
                    words["no_parameter"].format(
                        sizes="-".join(map(str, sizes)), parameter=theta.text, index=index, top=top
                    )
                )
        return theta

    return parameter


def build_parser(language: str | None = None) -> argparse.ArgumentParser:
    """The parser, its help in ``language`` (default: the locale's)."""
    words = LABELS[language or default_language()]
    sizes = notebook_network().layer_sizes

    def new(
        parser: argparse.ArgumentParser, lang: object = argparse.SUPPRESS
    ) -> argparse.ArgumentParser:
        parser.add_argument("-h", "--help", action="help", help=words["help_help"])
        # --lang goes before or after the command; after it, it wins
        parser.add_argument("--lang", choices=LANGUAGES, default=lang, help=words["help_lang"])
        return parser

    parser = new(
        _Parser(
            prog="backpropdoc",
            description=words["description"],
            epilog=words["epilog"],
            formatter_class=_Formatter,
            add_help=False,
        ),
        lang=None,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"backpropdoc {__version__}",
        help=words["help_version"],
    )
    commands = parser.add_subparsers(
        dest="command", title=words["commands_title"], metavar="{" + ",".join(COMMANDS) + "}"
    )
    sub = {
        name: new(
            commands.add_parser(
                name,
                help=words[f"help_{name}"],
                description=words[f"help_{name}"],
                formatter_class=_Formatter,
                add_help=False,
            )
        )
        for name in COMMANDS
    }
    for name in COMMANDS:
        sub[name].add_argument(
            "--x",
            nargs=2,
            type=_finite(words),
            default=[2.0, 3.0],
            metavar=("X1", "X2"),
            help=words["help_x"],
        )
        sub[name].add_argument("--Y", type=_finite(words), default=5.0, help=words["help_Y"])
    for name in ("example", "train"):
        sub[name].add_argument(
            "--lr", type=_finite(words, positive=True), default=0.5, help=words["help_lr"]
        )
    sub["train"].add_argument("--steps", type=_steps(words), default=5, help=words["help_steps"])
    for name in ("example", "explain"):
        sub[name].add_argument(
            "--param",
            type=_parameter(words, sizes),
            default=Parameter.parse("w_11^(1)"),
            help=words["help_param"],
        )
    return parser


# ---- the commands -------------------------------------------------------------------------


class _Failure(Exception):
    """Bad input found only by computing with it; the message is worded for the reader."""


def _overflow(net: Network, x: list[float], Y: float, words: dict[str, str]) -> _Failure:
    """The numbers overflowed before any update: say which of --x and --Y is too large."""

    def overflows(x: list[float], Y: float) -> bool:
        try:
            numerical_gradients(net, x, Y)
            manual_gradients(net, x, Y)
        except ValueError:
            return True
        return False

    blamed = [
        name
        for name, bad in (("--x", overflows(x, 0.0)), ("--Y", overflows([0.0] * len(x), Y)))
        if bad
    ]
    return _Failure(
        words["overflow_inputs"].format(
            options="/".join(blamed or ["--x", "--Y"]), x=_vector(x), Y=_number(Y)
        )
    )


def _header(net: Network, x: list[float], Y: float, words: dict[str, str]) -> list[str]:
    return [
        words["title"].format(sizes="-".join(map(str, net.layer_sizes))),
        words["inputs"].format(x=_vector(x), Y=_number(Y)),
        "",
    ]


def _chain(
    net: Network, x: list[float], Y: float, theta: Parameter, words: dict[str, str]
) -> list[str]:
    return [words["chain"].format(parameter=theta.text), "  " + explain(net, x, Y, theta).text()]


def run_example(
    net: Network, x: list[float], Y: float, lr: float, theta: Parameter, words: dict[str, str]
) -> list[str]:
    """The worked example: forward pass, 13 gradients three ways, one chain, one update."""
    try:
        trace = net.forward(x)
        lines = [words["forward"]]
        for layer, (z, a) in enumerate(zip(trace.z, trace.a[1:], strict=True), start=1):
            lines.append(
                f"  z^({layer}) = {_vector(z.tolist())}   a^({layer}) = {_vector(a.tolist())}"
            )
        value = loss(trace.output, Y)
        lines.append(
            "  " + words["output"].format(y=_vector(trace.output.tolist()), loss=_number(value))
        )
        by_method: list[Gradients] = [
            method(net, x, Y)
            for method in (manual_gradients, autograd_gradients, numerical_gradients)
        ]
        header = [words["parameter"], words["manual"], words["autograd"], words["numerical"]]
        lines += ["", words["gradients"], "  " + "".join(_pad(h, 14) for h in header).rstrip()]
        for p in parameters(net):
            cells = [p.text] + [_number(p.gradient(g)) for g in by_method]
            lines.append("  " + "".join(_pad(c, 14) for c in cells).rstrip())
        lines += ["", *_chain(net, x, Y, theta, words)]
    except ValueError:
        raise _overflow(net, x, Y, words) from None

    try:
        new = sgd_step(net, by_method[0], lr)
        after = loss(new.forward(x).output, Y)
    except ValueError:
        raise _Failure(
            words["overflow_step"].format(lr=_number(lr), x=_vector(x), Y=_number(Y))
        ) from None
    lines += ["", words["step"].format(lr=_number(lr))]
    for layer, (old_w, new_w) in enumerate(zip(net.weights, new.weights, strict=True), start=1):
        lines.append(
            "  "
            + words["update"].format(
                name=f"W^({layer})", old=_matrix(old_w.tolist()), new=_matrix(new_w.tolist())
            )
        )
    for layer, (old_b, new_b) in enumerate(zip(net.biases, new.biases, strict=True), start=1):
        lines.append(
            "  "
            + words["update"].format(
                name=f"b^({layer})", old=_vector(old_b.tolist()), new=_vector(new_b.tolist())
            )
        )
    lines.append("  " + words["loss_after"].format(loss=_number(after)))
    return lines


class Progress:
    """A one-line progress bar on a terminal, redrawn at most every ``every`` seconds."""

    def __init__(self, stream: TextIO, label: str, total: int, every: float = 0.1) -> None:
        self.stream, self.label, self.total, self.every = stream, label, total, every
        self.shown = -math.inf

    def __call__(self, step: int, _loss: float) -> None:
        now = time.monotonic()
        if now - self.shown >= self.every or step == self.total:
            self.shown = now
            filled = 30 * step // self.total
            self.stream.write(
                f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] "
                f"{100 * step // self.total:3d}% {step}/{self.total}"
            )
            self.stream.flush()

    def close(self) -> None:
        if self.shown > -math.inf:
            self.stream.write("\r\x1b[K")  # wipe the bar, so the terminal keeps only results
            self.stream.flush()


def run_train(
    net: Network, x: list[float], Y: float, lr: float, steps: int, words: dict[str, str]
) -> list[str]:
    """The loss before training and after every step; on Ctrl-C, the losses so far."""
    try:
        manual_gradients(net, x, Y)  # too large an x or Y shows before any step
    except ValueError:
        raise _overflow(net, x, Y, words) from None
    losses: list[float] = []
    progress = Progress(sys.stderr, words["progress"], steps) if sys.stderr.isatty() else None

    def on_step(step: int, value: float) -> None:
        losses.append(value)
        if progress is not None:
            progress(step, value)

    width = len(str(steps))

    def table() -> list[str]:
        return [words["train"].format(steps=steps, lr=_number(lr))] + [
            "  " + words["train_line"].format(step=f"{i:>{width}}", loss=_number(value))
            for i, value in enumerate(losses)
        ]

    try:
        train(net, x, Y, lr, steps, on_step=on_step)
    except ValueError:
        raise _Failure(
            words["diverged"].format(step=len(losses), steps=steps, lr=_number(lr))
        ) from None
    except KeyboardInterrupt:
        raise _Interrupted(table(), max(0, len(losses) - 1), steps) from None
    finally:
        if progress is not None:
            progress.close()
    return table()


class _Interrupted(Exception):
    """Ctrl-C during training, with what it had printed by then."""

    def __init__(self, lines: list[str], step: int, steps: int) -> None:
        super().__init__(step)
        self.lines, self.step, self.steps = lines, step, steps


def run_explain(
    net: Network, x: list[float], Y: float, theta: Parameter, words: dict[str, str]
) -> list[str]:
    """The chain rule for one parameter."""
    try:
        manual_gradients(net, x, Y)  # explain() computes the factors without overflow checks
        return _chain(net, x, Y, theta, words)
    except ValueError:
        raise _overflow(net, x, Y, words) from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (see EXIT_*)."""
    try:
        return _run(list(sys.argv[1:] if argv is None else argv))
    except BrokenPipeError:
        # The reader left early (`backpropdoc train | head`): say nothing more, as a shell
        # tool killed by SIGPIPE would, and keep Python from complaining when it flushes.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


def _run(argv: list[str]) -> int:
    argv = _with_command(argv)
    language = _language(argv)
    words = LABELS[language]
    with _argparse_in(language):
        parser = build_parser(language)
        args, unknown = parser.parse_known_args(argv)
        prog = f"backpropdoc {args.command}"
        if unknown:  # said by the command that does not know them, not by the top level
            _fail(prog, _argparse_text("unrecognized arguments: %s") % " ".join(unknown))
    net = notebook_network()
    lines = _header(net, args.x, args.Y, words)
    try:
        if args.command == "train":
            lines += run_train(net, args.x, args.Y, args.lr, args.steps, words)
        elif args.command == "explain":
            lines += run_explain(net, args.x, args.Y, args.param, words)
        else:
            lines += run_example(net, args.x, args.Y, args.lr, args.param, words)
    except _Failure as failure:
        with _argparse_in(language):
            _fail(prog, str(failure))
    except _Interrupted as stop:
        _print(lines + stop.lines)
        message = words["interrupted"].format(prog=prog, step=stop.step, steps=stop.steps)
        sys.stderr.write(message + "\n")
        return EXIT_INTERRUPTED
    except KeyboardInterrupt:
        sys.stderr.write(words["interrupted_plain"].format(prog=prog) + "\n")
        return EXIT_INTERRUPTED
    _print(lines)
    return EXIT_OK


def _print(lines: list[str]) -> None:
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()
