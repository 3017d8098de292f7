"""Time ``mkdocs build --strict`` (cold and warm) and the full ``pytest`` run.

    .venv/bin/python benchmarks/build_and_tests.py [--json out.json] [--no-tests] [--profile]

Cold: a fresh temp site dir and a fresh, empty cache dir (``XDG_CACHE_HOME``/``MPLCONFIGDIR``:
matplotlib's font cache, Jupyter kernels' state). Warm: the same again, right after, with
those caches kept. Goals on the 2-core dev machine: build ≤ 20 s, tests ≤ 30 s.
``--profile`` also runs ``pytest --durations=15`` and shows where the build spends time
(mkdocs' own ``--verbose`` per-file timing is not available, so cProfile's top entries).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
GOAL_BUILD_S, GOAL_TESTS_S = 20.0, 30.0


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    start = time.perf_counter()
    proc = subprocess.run(
        cmd, cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", check=False
    )
    return time.perf_counter() - start, proc.returncode, proc.stdout + proc.stderr


def build_env(cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "XDG_CACHE_HOME": str(cache / "xdg"),
            "MPLCONFIGDIR": str(cache / "mpl"),
            "SOURCE_DATE_EPOCH": env.get("SOURCE_DATE_EPOCH", "1700000000"),
            "PYTHONHASHSEED": "0",
        }
    )
    return env


def mkdocs_build(site: Path, env: dict[str, str], profile: Path | None = None) -> tuple:
    cmd = [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(site)]
    if profile is not None:
        cmd = [sys.executable, "-m", "cProfile", "-o", str(profile), *cmd]
    return run(cmd, env)


def profile_summary(path: Path, top: int = 25) -> str:
    import io
    import pstats

    out = io.StringIO()
    stats = pstats.Stats(str(path), stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--no-tests", action="store_true", help="only time the builds")
    parser.add_argument("--profile", action="store_true", help="durations + build profile")
    args = parser.parse_args(argv)

    results: dict[str, object] = {"cores": os.cpu_count()}
    ok = True
    with tempfile.TemporaryDirectory(prefix="bpd-bench-") as tmp:
        tmp_path = Path(tmp)
        env = build_env(tmp_path / "cache")
        for label in ("cold", "warm"):
            seconds, rc, log = mkdocs_build(tmp_path / f"site-{label}", env)
            results[f"build_{label}_s"] = round(seconds, 2)
            results[f"build_{label}_rc"] = rc
            print(f"mkdocs build --strict ({label}): {seconds:6.1f} s  rc={rc}", flush=True)
            if rc != 0:
                ok = False
                print(log[-3000:])
        if args.profile:
            prof = tmp_path / "build.prof"
            mkdocs_build(tmp_path / "site-prof", env, prof)
            if prof.exists():
                print("\nbuild profile (cumulative, top 25):")
                print(profile_summary(prof))

    if not args.no_tests:
        cmd = [str(BIN / "pytest"), "-q", "-p", "no:cacheprovider"]
        if args.profile:
            cmd.append("--durations=15")
        seconds, rc, log = run(cmd, dict(os.environ))
        results["pytest_s"] = round(seconds, 2)
        results["pytest_rc"] = rc
        print(f"pytest (all):                 {seconds:6.1f} s  rc={rc}", flush=True)
        summary = [line for line in log.splitlines() if line.strip()][-1:]
        print("  " + "\n  ".join(summary))
        if args.profile:
            start = log.find("slowest")
            print(log[start - 20 : start + 3000] if start >= 0 else log[-3000:])
        ok = ok and rc == 0

    print()
    print("| step | seconds | goal |")
    print("|---|---|---|")
    for key, goal in (("build_cold_s", GOAL_BUILD_S), ("build_warm_s", GOAL_BUILD_S)):
        print(f"| {key[:-2].replace('_', ' ')} | {results[key]} | ≤ {goal:g} |")
    if "pytest_s" in results:
        print(f"| pytest | {results['pytest_s']} | ≤ {GOAL_TESTS_S:g} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
