"""Time ``manual_gradients`` against ``autograd_gradients`` on the same inputs.

Cases: the seed 2-3-1 network on one sample, the 2-3-1 network on a batch of 4096, and a
[784, 256, 10] network (ReLU hidden, identity output, float64) on a batch of 4096.
Goal: manual ≤ 1.2 × autograd on the batches.

    .venv/bin/python benchmarks/gradients.py [--json out.json] [--threads N] [--repeat 15]

Each timing is the median of ``--repeat`` runs of ``number`` calls (auto-chosen so one run
takes ≥ 50 ms), after warm-up; manual and autograd runs alternate and the ratio is the median
of the per-pair ratios, so load drift on a shared machine cancels out. ``--raw`` also times
the bare tensor algebra without the input validation in ``Network.check_input`` and
``check_target``, to show what validation costs.
"""

from __future__ import annotations

import argparse
import itertools
import json
import platform
import statistics
import sys
import time
import timeit
from collections.abc import Callable
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from backpropdoc import Network, autograd_gradients, manual_gradients, notebook_network
from backpropdoc.gradients import error_signals
from backpropdoc.network import propagate, squared_error

GOAL = 1.2


def time_pair(
    fa: Callable[[], object], fb: Callable[[], object], repeat: int, min_run_s: float = 0.05
) -> tuple[float, float, float]:
    """Interleaved timing of two functions: (median s/call of a, of b, median of a/b ratios).

    Runs of ``fa`` and ``fb`` alternate, so drift in machine load (a shared 2-core VM) hits
    both alike; the ratio is the median of the per-pair ratios.
    """
    for fn in (fa, fb, fa, fb):
        fn()
    ta, tb = timeit.Timer(fa, timer=time.perf_counter), timeit.Timer(fb, timer=time.perf_counter)
    number, elapsed = 1, ta.timeit(1)
    while elapsed < min_run_s and number < 1_000_000:
        number *= 2 if elapsed * 10 > min_run_s else 10
        elapsed = ta.timeit(number)
    runs_a, runs_b = [], []
    for _ in range(repeat):
        runs_a.append(ta.timeit(number) / number)
        runs_b.append(tb.timeit(number) / number)
    ratios = [a / b for a, b in zip(runs_a, runs_b, strict=True)]
    return statistics.median(runs_a), statistics.median(runs_b), statistics.median(ratios)


def big_network(sizes: list[int], seed: int = 0) -> Network:
    gen = torch.Generator().manual_seed(seed)
    weights = [
        torch.randn(n_out, n_in, generator=gen, dtype=torch.float64) / n_in**0.5
        for n_in, n_out in itertools.pairwise(sizes)
    ]
    biases = [0.1 * torch.randn(n, generator=gen, dtype=torch.float64) for n in sizes[1:]]
    return Network(weights, biases, activation="relu", output_activation="identity")


def cases() -> list[tuple[str, Network, torch.Tensor, torch.Tensor, bool]]:
    gen = torch.Generator().manual_seed(1)
    seed = notebook_network()
    big = big_network([784, 256, 10])
    x1 = torch.tensor([1.0, 2.0], dtype=torch.float64)
    y1 = torch.tensor([5.0], dtype=torch.float64)
    xb = torch.randn(4096, 2, generator=gen, dtype=torch.float64)
    yb = torch.randn(4096, 1, generator=gen, dtype=torch.float64)
    xbig = torch.rand(4096, 784, generator=gen, dtype=torch.float64)
    ybig = torch.randn(4096, 10, generator=gen, dtype=torch.float64)
    return [
        ("2-3-1, one sample", seed, x1, y1, False),
        ("2-3-1, batch 4096", seed, xb, yb, True),
        ("784-256-10, batch 4096", big, xbig, ybig, True),
    ]


def raw_manual(net: Network, x: torch.Tensor, Y: torch.Tensor) -> list[torch.Tensor]:
    """manual_gradients without input validation/cloning (same algebra)."""
    trace = propagate(net._weights, net._biases, net.activations, x)
    delta = error_signals(net, trace, Y)
    a = [t.reshape(-1, t.shape[-1]) for t in trace.a]
    return [d.T @ a[i] for i, d in enumerate(delta)] + [d.sum(dim=0) for d in delta]


def raw_autograd(net: Network, x: torch.Tensor, Y: torch.Tensor) -> tuple[torch.Tensor, ...]:
    """autograd_gradients without input validation (still clones the parameters)."""
    ws = [w.detach().clone().requires_grad_() for w in net._weights]
    bs = [b.detach().clone().requires_grad_() for b in net._biases]
    trace = propagate(ws, bs, net.activations, x)
    return torch.autograd.grad(squared_error(trace.output, Y), [*ws, *bs])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--threads", type=int, help="torch.set_num_threads(N) first")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--raw", action="store_true", help="also time without validation")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)

    rows = []
    for name, net, x, Y, is_batch in cases():
        # Same inputs, and the two methods must agree before their speed means anything.
        diff = manual_gradients(net, x, Y).max_abs_difference(autograd_gradients(net, x, Y))
        assert diff < 1e-9, f"{name}: manual and autograd differ by {diff}"
        t_manual, t_auto, ratio = time_pair(
            lambda net=net, x=x, Y=Y: manual_gradients(net, x, Y),
            lambda net=net, x=x, Y=Y: autograd_gradients(net, x, Y),
            args.repeat,
        )
        row = {
            "case": name,
            "manual_s": t_manual,
            "autograd_s": t_auto,
            "ratio": ratio,
            "batch": is_batch,
            "meets_goal": (ratio <= GOAL) if is_batch else None,
        }
        if args.raw:
            xs, Ys = net.check_input(x), net.check_target(Y, net.check_input(x))
            row["raw_manual_s"], row["raw_autograd_s"], row["raw_ratio"] = time_pair(
                lambda n=net, a=xs, b=Ys: raw_manual(n, a, b),
                lambda n=net, a=xs, b=Ys: raw_autograd(n, a, b),
                args.repeat,
            )
        rows.append(row)

    print(
        f"torch {torch.__version__}, threads {torch.get_num_threads()}, "
        f"python {platform.python_version()}, {platform.machine()}; median of {args.repeat}"
    )
    print()
    header = "| case | manual | autograd | manual/autograd | goal ≤ 1.2 |"
    if args.raw:
        header += " manual, no checks | autograd, no checks | ratio, no checks |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for r in rows:
        goal = "n/a" if r["meets_goal"] is None else ("yes" if r["meets_goal"] else "NO")
        line = (
            f"| {r['case']} | {r['manual_s'] * 1e6:,.1f} µs | {r['autograd_s'] * 1e6:,.1f} µs "
            f"| {r['ratio']:.2f} | {goal} |"
        )
        if args.raw:
            line += (
                f" {r['raw_manual_s'] * 1e6:,.1f} µs | {r['raw_autograd_s'] * 1e6:,.1f} µs "
                f"| {r['raw_ratio']:.2f} |"
            )
        print(line)
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "torch": torch.__version__,
                    "threads": torch.get_num_threads(),
                    "python": platform.python_version(),
                    "repeat": args.repeat,
                    "goal": GOAL,
                    "results": rows,
                },
                indent=2,
            )
            + "\n"
        )
    return 0 if all(r["meets_goal"] is not False for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
