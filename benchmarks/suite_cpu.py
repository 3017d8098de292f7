"""A pytest plugin for benchmarks/suite.py: the CPU seconds each test file costs.

Loaded with ``-p suite_cpu`` (benchmarks/ on PYTHONPATH). Every process that runs tests (each
pytest-xdist worker, or pytest alone) adds up, per test file, the wall time and the CPU time
(user + system) of the process and of the children it has waited for (builds, kernels,
subprocesses) from the start of a test's setup to the end of its teardown, and writes them as
JSON to ``$SUITE_CPU_DIR/<worker>.json``. A process that outlives its test is counted when it
ends: the session's Chromium (one per worker) in the teardown of the worker's last browser
test, so suite.py reports the browser tests as one group.
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


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, None, None]:
    wall, cpu = time.perf_counter(), _cpu()
    yield
    cost = _costs[item.nodeid.split("::", 1)[0]]
    cost[0] += time.perf_counter() - wall
    cost[1] += _cpu() - cpu
    cost[2] += 1


def pytest_sessionfinish(session: pytest.Session) -> None:
    folder = os.environ.get("SUITE_CPU_DIR")
    if folder and _costs:
        name = os.environ.get("PYTEST_XDIST_WORKER", "main")
        Path(folder, f"{name}.json").write_text(json.dumps(_costs), encoding="utf-8")
