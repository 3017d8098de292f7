"""Every notebook the site offers runs in a fresh Jupyter kernel, as a reader would run it.

The site is built for the run's loopback address (its SITE_URL) and served there
(tests/conftest.py). Each notebook of both editions (the pages' and the notebook pages') runs,
from a folder outside the checkout, in a kernel of its own whose environment has torch (with
NumPy, which backpropdoc requires), Jupyter's kernel and backpropdoc from the wheel the site
serves, and nothing from the checkout: every cell must run without an error, and the kernel's
backpropdoc must be the installed copy, not the checkout.

What it costs is kept down without leaving anything out:

- The install cell (the second cell) is the same in every notebook of a language; it runs once
  per language in an environment that has torch and not backpropdoc, and must install the
  served wheel (no package index is asked). The notebooks then run in one environment made
  like that once per test run, where the install cell finds backpropdoc and installs nothing,
  as in a reader's second notebook.
- A Chinese notebook whose code cells are the English twin's token for token (comments apart,
  which do not run) would run exactly as the twin did; it is run only when they differ.
- Each page's notebooks are a test of their own, so pytest-xdist spreads them over its workers.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import tokenize
from collections.abc import Callable
from pathlib import Path

import freshenv
import nbformat
import pytest
from nbclient import NotebookClient

import backpropdoc

pytestmark = pytest.mark.build

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
WHERE = "import backpropdoc, sys; print(backpropdoc.__file__); print(sys.prefix)"
WHEEL = f"backpropdoc-{backpropdoc.__version__}-py3-none-any.whl"
KERNEL_TOOLS = ["torch", "numpy", "pip", "ipykernel"]


def sources() -> list[Path]:
    """The pages with code and the notebooks, of both languages: each is offered as a notebook."""
    pages = [p for p in DOCS.glob("*.md") if "```python" in p.read_text(encoding="utf-8")]
    return sorted(pages + list((DOCS / "notebooks").glob("*.py")))


def twins() -> list[tuple[str, str]]:
    """(English notebook, Chinese notebook) of each source, as paths in the built site."""
    pairs = []
    for source in sources():
        if source.name.endswith((".zh.md", ".zh.py")):
            continue
        stem = source.stem
        if source.suffix == ".py":
            english = f"notebooks/{stem}/{stem}.ipynb"
        else:
            english = f"{stem}.ipynb" if stem == "index" else f"{stem}/{stem}.ipynb"
        pairs.append((english, f"zh/{english}"))
    return pairs


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


def code_tokens(source: str) -> list[tuple[int, str]] | None:
    """What of a cell runs: its tokens without comments and blank lines (None: no Python)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return None
    return [(t.type, t.string) for t in tokens if t.type not in (tokenize.COMMENT, tokenize.NL)]


def runs_like(a: nbformat.NotebookNode, b: nbformat.NotebookNode) -> bool:
    """Whether running ``b`` runs the very code of ``a``, cell by cell, with the same cell
    metadata (a tag such as ``raises-exception`` changes what counts as an error)."""
    cells_a = [c for c in a.cells if c.cell_type == "code"]
    cells_b = [c for c in b.cells if c.cell_type == "code"]
    return len(cells_a) == len(cells_b) and all(
        x.metadata == y.metadata
        and code_tokens(x.source) is not None
        and code_tokens(x.source) == code_tokens(y.source)
        for x, y in zip(cells_a, cells_b, strict=True)
    )


def run_notebooks(
    notebooks: dict[str, nbformat.NotebookNode], python: Path, work: Path
) -> dict[str, str | None]:
    """Runs each notebook (with WHERE appended) in a new kernel of ``python``, from a folder
    outside the checkout, at the same time; what went wrong with each, or None."""
    kernels = work / "jupyter"
    add_kernel(kernels, "fresh", python)
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()

    async def run(name: str, nb: nbformat.NotebookNode) -> str | None:
        nb.cells.append(nbformat.v4.new_code_cell(WHERE))
        client = NotebookClient(
            nb, kernel_name="fresh", timeout=300, resources={"metadata": {"path": str(elsewhere)}}
        )
        try:
            await client.async_execute()
        except Exception as error:  # collect every notebook's failure, not just the first
            return f"{name}: {type(error).__name__}: {str(error)[-2000:]}"
        printed = stdout(nb.cells[1])
        if printed != f"backpropdoc {backpropdoc.__version__}\n":
            return f"{name}: the install cell printed {printed!r}"
        module, prefix = stdout(nb.cells[-1]).split()
        venv = python.parent.parent
        if Path(prefix) != venv or not Path(module).is_relative_to(venv):
            return f"{name}: backpropdoc came from {module} (sys.prefix {prefix})"
        return None

    async def run_all() -> list[str | None]:
        return await asyncio.gather(*(run(name, nb) for name, nb in notebooks.items()))

    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = str(kernels)  # where nbclient finds the kernel spec
    try:
        return dict(zip(notebooks, asyncio.run(run_all()), strict=True))
    finally:
        if old is None:
            del os.environ["JUPYTER_PATH"]
        else:
            os.environ["JUPYTER_PATH"] = old


def test_the_site_offers_a_notebook_for_every_page_with_code(built_site: Path) -> None:
    offered = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.ipynb"))
    # Every page with code, in both languages (a Chinese twin has the same blocks).
    assert len(offered) == len(sources()), offered
    assert offered == sorted(name for pair in twins() for name in pair)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_install_cell_installs_the_served_wheel(
    built_site: Path, site_address: str, tmp_path: Path, lang: str
) -> None:
    folder = built_site / ("zh" if lang == "zh" else "")
    home = nbformat.read(folder / "index.ipynb", as_version=4)
    install = home.cells[1]
    assert install.metadata.get("backpropdoc") == "install"
    assert f'"{site_address}dist/{WHEEL}"' in install.source
    # The same cell in every notebook of the language: what it does here, it does there.
    for name, _ in twins():
        notebook = built_site / ("zh/" + name if lang == "zh" else name)
        cell = nbformat.read(notebook, as_version=4).cells[1]
        assert (cell.source, cell.metadata) == (install.source, install.metadata), notebook

    python = freshenv.make(tmp_path / "venv", KERNEL_TOOLS)
    lacks = subprocess.run([python, "-c", "import backpropdoc"], cwd=tmp_path, capture_output=True)
    assert lacks.returncode != 0, "the fresh environment already has backpropdoc"
    home.cells = home.cells[:2]  # the title and the install cell
    assert run_notebooks({f"{lang} install cell": home}, python, tmp_path) == {
        f"{lang} install cell": None
    }


@pytest.fixture(scope="session")
def wheel_env(once: Callable[[str, Callable[[Path], Path]], Path], site_address: str) -> Path:
    """The python of an environment with torch and the site's wheel, made once per run: what
    the install cell leaves behind (test_the_install_cell_installs_the_served_wheel)."""

    def make(folder: Path) -> Path:
        python = freshenv.make(folder, KERNEL_TOOLS)
        wheel = f"{site_address}dist/{WHEEL}"
        subprocess.run(
            [python, "-m", "pip", "install", "--quiet", "--no-index", wheel],
            check=True,
            env={**os.environ, "PIP_CONFIG_FILE": os.devnull},
        )
        return python

    return once("wheel-env", make) / "bin" / "python"


@pytest.mark.parametrize("twin", twins(), ids=lambda pair: pair[0].split("/")[-1])
def test_notebooks_run_in_a_fresh_kernel(
    built_site: Path, wheel_env: Path, tmp_path: Path, twin: tuple[str, str]
) -> None:
    english, chinese = (nbformat.read(built_site / name, as_version=4) for name in twin)
    to_run = {twin[0]: english}
    if not runs_like(english, chinese):
        to_run[twin[1]] = chinese
    failures = [f for f in run_notebooks(to_run, wheel_env, tmp_path).values() if f]
    assert not failures, "\n\n".join(failures)
