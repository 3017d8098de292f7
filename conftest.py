"""Run the docs' code blocks as tests (Sybil); the configuration is in tests/doc_examples.py."""

from __future__ import annotations

from typing import Any

import pytest

from tests.doc_examples import sybil

pytest_collect_file = sybil().pytest()


@pytest.hookimpl(optionalhook=True)  # pytest still runs without pytest-xdist (`-p no:xdist`)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """pytest-xdist: hand out tests one at a time, except that a docs page goes to a worker
    whole: its blocks share one namespace and run in order.

    (``--dist loadgroup`` with ``xdist_group`` marks would say the same, but pytest-xdist
    3.8 groups by rewriting ``item._nodeid``, which pytest 9.2 no longer reads.)
    """
    from xdist.scheduler import LoadScopeScheduling

    class DocsPageScheduling(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return path if path.endswith(".md") else nodeid

    return DocsPageScheduling(config, log)
