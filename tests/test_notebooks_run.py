"""Every notebook the site offers runs in a fresh Jupyter kernel, as a reader would run it.

The site is built with its SITE_URL set to a loopback address and served there. Each notebook
of both editions (the pages' and the notebook pages') then runs, from a folder outside the
checkout, in a kernel whose environment has torch (with NumPy, which backpropdoc requires) and
Jupyter's kernel, and not backpropdoc: its first cell installs
backpropdoc from the wheel the site serves (no package index is asked), and every cell must run
without an error. The kernel's backpropdoc must be the installed copy, not the checkout.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from unittest import mock

import freshenv
import nbformat
import pytest
from nbclient import NotebookClient
from sitebuild import Build
from siteserver import reserve, serve, url

import backpropdoc

pytestmark = pytest.mark.build

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
WHERE = "import backpropdoc, sys; print(backpropdoc.__file__); print(sys.prefix)"


def offered_notebooks(site: Path) -> list[Path]:
    return sorted(site.rglob("*.ipynb"))


@pytest.fixture(scope="module")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    server = reserve()  # the port is ours before the build writes it into the notebooks
    address = url(server)
    with mock.patch.dict(os.environ, {"SITE_URL": address}):
        build = Build(tmp_path_factory.mktemp("served-site"))
    site = build.wait()
    with serve(site, server):
        yield site, address


def add_kernel(kernels: Path, name: str, python: Path) -> None:
    """A kernel spec for ``python``, with the environment a reader's Jupyter gives it: nothing
    from the checkout on its path, and pip offline (the wheel comes from the served site)."""
    spec = kernels / "kernels" / name
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": name,
                "language": "python",
                "env": {
                    "PYTHONPATH": "",
                    "VIRTUAL_ENV": str(python.parent.parent),
                    "PIP_CONFIG_FILE": os.devnull,
                    "PIP_NO_INDEX": "1",
                    "PIP_DISABLE_PIP_VERSION_CHECK": "1",
                },
            }
        ),
        encoding="utf-8",
    )


def stdout(cell: nbformat.NotebookNode) -> str:
    # stdout only: stderr may hold pip's notices.
    return "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stdout")


def test_every_notebook_runs_in_a_fresh_kernel_with_torch_only(
    served_site: tuple[Path, str], tmp_path: Path
) -> None:
    site, address = served_site
    notebooks = offered_notebooks(site)
    sources = [p for p in DOCS.glob("*.md") if "```python" in p.read_text(encoding="utf-8")]
    sources += list((DOCS / "notebooks").glob("*.py"))
    # Every page with code, in both languages (a Chinese twin has the same blocks).
    assert len(notebooks) == len(sources), [p.relative_to(site) for p in notebooks]
    kernels = tmp_path / "jupyter"
    jobs = []
    for i, notebook in enumerate(notebooks):
        name = notebook.relative_to(site).as_posix()
        work = tmp_path / f"nb{i}"
        (work / "elsewhere").mkdir(parents=True)
        python = freshenv.make(work / "venv", ["torch", "numpy", "pip", "ipykernel"])
        add_kernel(kernels, f"fresh{i}", python)
        jobs.append((name, notebook, work, f"fresh{i}"))

    slots = asyncio.Semaphore(2)  # two notebooks at a time: each kernel is its own process

    async def run(name: str, notebook: Path, work: Path, kernel: str) -> str | None:
        """Runs one notebook; what went wrong, or None."""
        nb = nbformat.read(notebook, as_version=4)
        install = nb.cells[1]
        wheel = f"{address}dist/backpropdoc-{backpropdoc.__version__}-py3-none-any.whl"
        if install.metadata.get("backpropdoc") != "install" or wheel not in install.source:
            return f"{name}: the second cell does not install {wheel}"
        nb.cells.append(nbformat.v4.new_code_cell(WHERE))
        client = NotebookClient(
            nb,
            kernel_name=kernel,
            timeout=300,
            resources={"metadata": {"path": str(work / "elsewhere")}},
        )
        try:
            async with slots:
                await client.async_execute()
        except Exception as error:  # collect every notebook's failure, not just the first
            return f"{name}: {type(error).__name__}: {str(error)[-2000:]}"
        printed = stdout(nb.cells[1])
        if printed != f"backpropdoc {backpropdoc.__version__}\n":
            return f"{name}: the install cell printed {printed!r}"
        module, prefix = stdout(nb.cells[-1]).split()
        if Path(prefix) != work / "venv" or not Path(module).is_relative_to(work / "venv"):
            return f"{name}: backpropdoc came from {module} (sys.prefix {prefix})"
        return None

    async def run_all() -> list[str | None]:
        return await asyncio.gather(*(run(*job) for job in jobs))

    with mock.patch.dict(os.environ, {"JUPYTER_PATH": str(kernels)}):  # finds the kernel specs
        failures = [f for f in asyncio.run(run_all()) if f]
    assert not failures, "\n\n".join(failures)
