"""Time ``train()`` against a bare torch loop doing the same hand-derived algebra.

The case is the original notebook's 2-3-1 network on its one sample, x = (2, 3), Y = 5, with
η = 0.02, as the loss-curve figure trains it. The bare loop is what a reader would write by
hand: the forward pass, ½ (y − Y)², δ^(2) = (y − Y) relu'(z^(2)), δ^(1) = (W^(2))ᵀ δ^(2) ⊙
relu'(z^(1)), and the update, with no checks at all. Goal: ``train()`` per step ≤ 1.5 × the
bare loop, with the same losses to 1e-12. ``train()`` runs its steps under
``torch.inference_mode()`` (no autograd bookkeeping); a second row times the bare loop under it
too, to show what the checks and the general code cost beside that.

    .venv/bin/python benchmarks/train.py [--steps 200] [--repeat 15] [--threads N] [--json out.json]

Both run ``--steps`` steps per call; timings are medians of ``--repeat`` runs, the two
alternating so that load drift on a shared machine cancels out (see ``gradients.py``), and the
ratio is the median of the per-pair ratios.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from gradients import time_pair

from backpropdoc import notebook_network, train

GOAL = 1.5
X, TARGET, LR = [2.0, 3.0], 5.0, 0.02


def bare_loop(steps: int) -> list[float]:
    """The 2-3-1 network trained by hand in plain torch: no validation, no Network objects."""
    net = notebook_network()
    (W1, W2), (b1, b2) = net.weights, net.biases
    x = torch.tensor(X, dtype=torch.float64)
    Y = torch.tensor([TARGET], dtype=torch.float64)
    losses = []
    for step in range(steps + 1):
        z1 = x @ W1.T + b1
        a1 = torch.relu(z1)
        z2 = a1 @ W2.T + b2
        y = torch.relu(z2)
        losses.append((0.5 * ((y - Y) ** 2).sum()).item())
        if step == steps:
            break
        delta2 = (y - Y) * (z2 > 0)
        delta1 = (delta2 @ W2) * (z1 > 0)
        W2, b2 = W2 - LR * torch.outer(delta2, a1), b2 - LR * delta2
        W1, b1 = W1 - LR * torch.outer(delta1, x), b1 - LR * delta1
    return losses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--steps", type=int, default=200, help="steps per timed call")
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--threads", type=int, help="torch.set_num_threads(N) first")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)

    net = notebook_network()
    ours = train(net, X, TARGET, LR, args.steps).losses
    bare = bare_loop(args.steps)
    # The same numbers first: a fast loop that computes something else proves nothing.
    worst = max(abs(a - b) for a, b in zip(ours, bare, strict=True))
    assert worst <= 1e-12, f"train() and the bare loop differ by {worst}"

    def bare_no_autograd() -> list[float]:
        with torch.inference_mode():
            return bare_loop(args.steps)

    rows = []
    for name, bare_fn in (
        ("bare loop", lambda: bare_loop(args.steps)),
        ("bare loop, inference_mode", bare_no_autograd),
    ):
        t_train, t_bare, ratio = time_pair(
            lambda: train(net, X, TARGET, LR, args.steps), bare_fn, args.repeat
        )
        rows.append(
            {
                "against": name,
                "train_s_per_step": t_train / args.steps,
                "bare_s_per_step": t_bare / args.steps,
                "ratio": ratio,
            }
        )
    print(
        f"torch {torch.__version__}, threads {torch.get_num_threads()}, "
        f"python {platform.python_version()}, {platform.machine()}; 2-3-1 network, one sample, "
        f"η = {LR}, {args.steps} steps per call, median of {args.repeat}"
    )
    print()
    print(f"| against | train() per step | bare per step | ratio | goal ≤ {GOAL} |")
    print("|---|---|---|---|---|")
    for i, r in enumerate(rows):
        goal = ("yes" if r["ratio"] <= GOAL else "NO") if i == 0 else "n/a"
        print(
            f"| {r['against']} | {r['train_s_per_step'] * 1e6:,.1f} µs "
            f"| {r['bare_s_per_step'] * 1e6:,.1f} µs | {r['ratio']:.2f} | {goal} |"
        )
    print(f"\nlargest difference between the losses: {worst:.3g}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "torch": torch.__version__,
                    "threads": torch.get_num_threads(),
                    "python": platform.python_version(),
                    "steps": args.steps,
                    "repeat": args.repeat,
                    "goal": GOAL,
                    "results": rows,
                    "max_loss_difference": worst,
                },
                indent=2,
            )
            + "\n"
        )
    return 0 if rows[0]["ratio"] <= GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
