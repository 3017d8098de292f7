"""Where the time of ``./scripts/test`` (what ``.ci/run`` runs) goes: each phase's wall and CPU
time, and the test files that cost the most CPU.

    .venv/bin/python benchmarks/suite.py [--runs N] [--top 15] [--json out.json] [-- PYTEST ARGS]

Runs the phases of scripts/test one after another, as it does (setup and setup-browser are
checks that install nothing on a set-up checkout; the linters; pytest with the project's
options: ``-n auto``), N times (default 1), and prints a Markdown table: wall seconds per phase
(the median of the runs, and every run in brackets) and CPU seconds (user + system of the
phase's processes and the children they waited for). On a shared machine wall time depends on
the other work running; compare the CPU column and the ratios within one run.

The test files come from benchmarks/suite_cpu.py (a pytest plugin): CPU seconds per test file
summed over the workers, and its share of the pytest phase's CPU time.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
PHASES = {
    "scripts/setup test": ["./scripts/setup", "test"],
    "scripts/setup-browser": ["./scripts/setup-browser"],
    "ruff check": [str(BIN / "ruff"), "check", "."],
    "ruff format --check": [str(BIN / "ruff"), "format", "--check", "."],
    "mypy --strict src": [str(BIN / "mypy"), "--strict", "src"],
    "pytest": [str(BIN / "pytest"), "-q", "-p", "suite_cpu"],
}


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_phase(command: list[str], env: dict[str, str], log: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and exit status; the output goes to ``log``."""
    wall, cpu = time.perf_counter(), children_cpu()
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.run(
            command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=out
        )
    return time.perf_counter() - wall, children_cpu() - cpu, proc.returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--top", type=int, default=15, help="test files to list")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--logs", type=Path, help="folder for each phase's output")
    parser.add_argument("--phases", help=f"comma-separated, of: {', '.join(PHASES)} (default: all)")
    parser.add_argument("pytest_args", nargs="*", help="after --: passed on to pytest")
    args = parser.parse_args(argv)

    walls: dict[str, list[float]] = defaultdict(list)
    cpus: dict[str, list[float]] = defaultdict(list)
    files: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    phases = {name: PHASES[name] for name in (args.phases.split(",") if args.phases else PHASES)}
    ok = True
    logs = args.logs or Path(tempfile.mkdtemp(prefix="suite-logs-"))
    logs.mkdir(parents=True, exist_ok=True)
    for run in range(args.runs):
        with tempfile.TemporaryDirectory(prefix="suite-cpu-") as out:
            env = {
                **os.environ,
                "NO_MKDOCS_2_WARNING": "1",
                "PYTHONPATH": os.pathsep.join(
                    filter(None, [str(ROOT / "benchmarks"), os.environ.get("PYTHONPATH")])
                ),
                "SUITE_CPU_DIR": out,
            }
            for name, command in phases.items():
                if name == "pytest":
                    command = command + args.pytest_args
                slug = re.sub(r"\W+", "-", name)
                log = logs / f"run{run + 1}-{slug}.log"
                wall, cpu, rc = run_phase(command, env, log)
                walls[name].append(wall)
                cpus[name].append(cpu)
                print(f"run {run + 1}: {name}: {wall:.1f} s wall, {cpu:.1f} s CPU, rc={rc}")
                if rc != 0:
                    ok = False
                    print("\n".join(log.read_text(encoding="utf-8").splitlines()[-5:]))
                    print(f"(all of it: {log})")
            for worker in Path(out).glob("*.json"):
                for path, (wall, cpu, count) in json.loads(worker.read_text()).items():
                    cost = files[path]
                    cost[0] += wall / args.runs
                    cost[1] += cpu / args.runs
                    cost[2] += count / args.runs

    total_wall = sum(statistics.median(w) for w in walls.values())
    total_cpu = sum(statistics.median(c) for c in cpus.values())
    print(f"\n{os.cpu_count()} cores; median of {args.runs} run(s)\n")
    print("| phase | wall s | CPU s |")
    print("|---|---:|---:|")
    for name in phases:
        each = ", ".join(f"{w:.0f}" for w in walls[name])
        brackets = f" ({each})" if args.runs > 1 else ""
        print(
            f"| {name} | {statistics.median(walls[name]):.1f}{brackets} | "
            f"{statistics.median(cpus[name]):.1f} |"
        )
    print(f"| **total** | {total_wall:.1f} | {total_cpu:.1f} |")

    if "pytest" in phases:
        pytest_cpu = statistics.median(cpus["pytest"])
        print("\n| test file | tests | CPU s | share of pytest CPU |")
        print("|---|---:|---:|---:|")
        grouped: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
        for path, cost in files.items():
            # Chromium's CPU is counted when it closes, after a worker's last browser test.
            name = (
                "tests/browser/ (all, Chromium included)"
                if path.startswith("tests/browser/")
                else path
            )
            grouped[name] = [a + b for a, b in zip(grouped[name], cost, strict=True)]
        ranked = sorted(grouped.items(), key=lambda item: -item[1][1])
        for path, (_, cpu, count) in ranked[: args.top]:
            print(f"| {path} | {count:.0f} | {cpu:.1f} | {cpu / pytest_cpu:.0%} |")
        rest = sum(cost[1] for _, cost in ranked[args.top :])
        print(
            f"| (the other {len(ranked[args.top :])} files) | | {rest:.1f} | "
            f"{rest / pytest_cpu:.0%} |"
        )
    if args.json:
        args.json.write_text(
            json.dumps({"walls": walls, "cpus": cpus, "files": files}, indent=2) + "\n"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
