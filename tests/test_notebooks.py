"""Every jupytext notebook under docs/notebooks/ runs cleanly, as mkdocs-jupyter will run it.

The site builds with ``allow_errors: false``, so a notebook that raises breaks the build; these
tests find that out sooner, and also check that the notebooks print what their prose promises.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.py"))

# Lines a notebook must print, by file name: the results its markdown cells talk about.
EXPECTED_OUTPUT = {
    "seed_fixed.py": [
        "a^(1) = [2.0, 2.0, 0.0]",
        "y = 4.0",
        "l = 0.5",
        "dl/dw11 = -2.0",
        "dl/dw12 = -3.0",
        "dl/dw31 = 0.0",
        "any None: False",
        "W^(1) = [[2.0, 1.5], [2.0, 1.5], [0.0, 0.0]]",
        "W^(2) = [[2.0, 2.0, 0.0]]",
        "still leaves: True",
        "gradients cleared: True",
        "l after one step with lr = 0.5: 496.125",
        "max difference between autograd and manual_gradients: 0.0",
        "gradients agree: True",
        "same losses: True",
        "same weights: True",
    ],
}


def execute(path: Path) -> Any:
    """Convert a percent-format notebook with jupytext and run it with the python3 kernel."""
    notebook = jupytext.read(path)
    with warnings.catch_warnings():
        # Jupyter's own deprecation notices (paths, event loops) are not the notebook's fault.
        warnings.simplefilter("ignore", DeprecationWarning)
        client = NotebookClient(
            notebook,
            kernel_name="python3",  # ipykernel's own spec, from this environment
            timeout=300,
            allow_errors=False,
            resources={"metadata": {"path": str(ROOT)}},
        )
        client.execute()
    return notebook


def stream_text(notebook: Any) -> str:
    """Everything the code cells printed, as one string."""
    return "".join(
        output.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "stream" and output.name == "stdout"
    )


@pytest.fixture(scope="module", params=NOTEBOOKS, ids=lambda path: path.name)
def executed(request: pytest.FixtureRequest) -> tuple[Path, Any]:
    return request.param, execute(request.param)


def test_there_are_notebooks() -> None:
    assert NOTEBOOKS, "docs/notebooks/ holds no jupytext notebooks"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_header_names_the_python3_kernel(path: Path) -> None:
    # mkdocs-jupyter runs the kernel the header names; without a header it uses python3.
    kernelspec = jupytext.read(path).metadata.get("kernelspec", {})
    assert kernelspec.get("name", "python3") == "python3"
    assert "# %%" in path.read_text(encoding="utf-8"), "not in jupytext percent format"


def test_runs_without_errors(executed: tuple[Path, Any]) -> None:
    _, notebook = executed
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            assert output.output_type != "error", f"{output.ename}: {output.evalue}"
            # Warnings (and tracebacks) go to stderr: a clean notebook prints none.
            is_stderr = output.output_type == "stream" and output.name == "stderr"
            assert not is_stderr, output.text


def test_prints_the_promised_results(executed: tuple[Path, Any]) -> None:
    path, notebook = executed
    printed = stream_text(notebook)
    assert printed, f"{path.name} printed nothing"
    missing = [line for line in EXPECTED_OUTPUT.get(path.name, []) if line not in printed]
    assert not missing, f"{path.name} did not print: {missing}"
