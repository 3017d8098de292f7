"""Shared fixtures and test order.

`built_site` builds the site once per test run: with pytest-xdist, the first worker to need
it builds it and the others wait for that build (a file lock) instead of building their own.
"""

import os
from pathlib import Path

import pytest
from filelock import FileLock
from sitebuild import build_site


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site (English at the root, Chinese under zh/), built once and reused."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return build_site(tmp_path_factory.mktemp("site"))
    shared = tmp_path_factory.getbasetemp().parent  # the same for every worker of this run
    site, built = shared / "site", shared / "site.built"
    with FileLock(shared / "site.lock"):
        if not built.exists():
            build_site(site)
            built.touch()
    return site


def _order(item: pytest.Item) -> int:
    if item.path.name == "test_reproducible.py":
        return 0  # its second build runs alongside the first (see test_reproducible.py)
    if item.get_closest_marker("browser"):
        return 3
    return 2 if item.get_closest_marker("build") else 1


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Builds start first; quick tests run on the other worker meanwhile; browser tests last.
    # (Every worker sorts the same collection the same way, as pytest-xdist requires.)
    items.sort(key=_order)
