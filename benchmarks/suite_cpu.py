"""A pytest plugin for benchmarks/suite.py: the CPU seconds each test file costs.

Loaded with ``-p suite_cpu`` (benchmarks/ on PYTHONPATH). Every process that runs tests (each
pytest-xdist worker, or pytest alone) adds up, per test file, the wall time and the CPU time
(user + system) of the process and of the children it has waited for (builds, kernels,
subprocesses) from the start of a test's setup to the end of its teardown, and writes them as
JSON to ``$SUITE_CPU_DIR/<worker>.json``. Processes that outlive a test (the session's browser)
are counted too, from /proc, for the tests that use them (marked ``browser``): reading /proc
for every test would cost more than most tests.
"""

from __future__ import annotations

import json
import os
import resource
import time
from collections import defaultdict
from collections.abc import Generator
from pathlib import Path

import pytest

_costs: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])  # wall, cpu, tests


TICK = os.sysconf("SC_CLK_TCK")


def _live_children() -> float:
    """CPU seconds so far of this process's descendants that are still running."""
    parents, cpu = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # it ended meanwhile
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        cpu[pid] = sum(map(int, fields[11:15])) / TICK  # its own and its ended children's
    total, mine = 0.0, {os.getpid()}
    changed = True
    while changed:
        changed = False
        for pid, parent in parents.items():
            if parent in mine and pid not in mine:
                mine.add(pid)
                changed = True
    for pid in mine - {os.getpid()}:
        total += cpu[pid]
    return total


def _cpu(item: pytest.Item) -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    live = _live_children() if item.get_closest_marker("browser") else 0.0
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime + live


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, None, None]:
    wall, cpu = time.perf_counter(), _cpu(item)
    yield
    cost = _costs[item.nodeid.split("::", 1)[0]]
    cost[0] += time.perf_counter() - wall
    cost[1] += _cpu(item) - cpu
    cost[2] += 1


def pytest_sessionfinish(session: pytest.Session) -> None:
    folder = os.environ.get("SUITE_CPU_DIR")
    if folder and _costs:
        name = os.environ.get("PYTEST_XDIST_WORKER", "main")
        Path(folder, f"{name}.json").write_text(json.dumps(_costs), encoding="utf-8")
