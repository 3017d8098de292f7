"""Shared fixtures and test order.

One site per test run, built once and served all along:

- ``site_address``: the loopback address the test site is built for (its SITE_URL) and served
  at. The process that runs the session (pytest-xdist's controller, or pytest itself without
  xdist) reserves the port in ``pytest_configure`` and serves the shared ``site`` folder there
  until the run ends, so any worker may build the site and any worker may use it over HTTP
  (tests/test_notebooks_run.py installs the wheel from it). Workers learn the address from
  the environment they inherit.
- ``built_site``: the site built for that address (English at the root, Chinese under zh/).
  With pytest-xdist, the first worker to need it builds it and the others wait for that build
  (a file lock) instead of building their own.
- ``once(name, make)``: the same pattern for anything else a run needs once (a fresh
  environment with the site's wheel installed, for instance).

And one thread per torch process. A run has many processes computing at once (pytest-xdist's
workers, site builds, notebook kernels, the CLI under test): with torch's default of a thread
per core each, their threads wait for each other's cores, spinning, and the same tests cost
several times the CPU. The pages' tensors are small, so one thread loses nothing; a number
that depended on the thread count would show here as a failing doc test. ``OMP_NUM_THREADS``
set by hand is kept.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
import sitebuild
import torch
from filelock import FileLock
from siteserver import reserve, serve, url

T = TypeVar("T")


def _shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder every process of this run shares: the controller's basetemp (a worker's
    basetemp is a folder in it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.hookimpl(trylast=True)  # after the tmp_path plugin has set up its factory
def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")  # inherited by every process started later
    torch.set_num_threads(int(os.environ["OMP_NUM_THREADS"]))  # this one imported torch already
    if hasattr(config, "workerinput"):  # an xdist worker: the controller serves
        return
    server = reserve()
    os.environ[sitebuild.ADDRESS] = url(server)  # inherited by the workers, started later
    site = _shared_folder(config._tmp_path_factory) / "site"  # type: ignore[attr-defined]
    serving = serve(site, server)  # requests are answered from site/ once it is built
    serving.__enter__()
    config.add_cleanup(lambda: serving.__exit__(None, None, None))


@pytest.fixture(scope="session")
def site_address() -> str:
    """``http://127.0.0.1:<port>/``: the test site's SITE_URL, where it is served."""
    return sitebuild.address()


@pytest.fixture(scope="session")
def once(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, Callable[[Path], T]], Path]:
    """``once(name, make)``: the folder ``name`` in the run's shared folder, made by
    ``make(folder)`` in the first process that asks, waited for by the others."""
    shared = _shared_folder(tmp_path_factory)
    lock = threading.Lock()  # the file lock guards processes; this guards threads of one

    def get(name: str, make: Callable[[Path], T]) -> Path:
        folder, done, failed = (shared / f"{name}{end}" for end in ("", ".done", ".failed"))
        with lock, FileLock(shared / f"{name}.lock"):
            if failed.exists():  # one failure is reported by every test that needs it
                pytest.fail(failed.read_text(encoding="utf-8"), pytrace=False)
            if not done.exists():
                try:
                    make(folder)
                except BaseException as error:
                    failed.write_text(f"{name}: {error}", encoding="utf-8")
                    raise
                done.touch()
        return folder

    return get


@pytest.fixture(scope="session")
def built_site(once: Callable[[str, Callable[[Path], Path]], Path]) -> Path:
    """The built site (English at the root, Chinese under zh/), built once and reused."""
    return once("site", sitebuild.build_site)


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
