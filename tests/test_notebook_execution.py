"""Notebook pages show the same outputs however the kernel's output falls into messages.

The kernel sends a cell's printed text in pieces, one stream message per flush, and where the
pieces fall depends on timing: under load two builds of the same notebook differed, one page
showing ``max difference between autograd and manual_gradients:`` and `` 0.0`` as two output
blocks. docs/hooks/notebook_execution.py merges them after execution. Here a cell flushes in
the middle of a line, as a busy machine does, and the page still shows one output.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "hooks"))

import notebook_execution  # noqa: E402  (the hooks' folder is not a package)

NOTEBOOK = """\
# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %%
import sys

print("max difference:", end="")
sys.stdout.flush()
print(" 0.0")
"""
TEXT_OUTPUT = re.compile(r'data-mime-type="text/plain"[^>]*>\s*<pre>(.*?)</pre>', re.S)


def test_the_build_uses_the_hook() -> None:
    hooks = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nhooks:\n")[1]
    assert "\n  - docs/hooks/notebook_execution.py\n" in hooks.split("\n\n")[0] + "\n"


def test_streams_are_merged_after_execution() -> None:
    order = notebook_execution.preprocessors()
    assert order.index(notebook_execution.COALESCE) == order.index(notebook_execution.EXECUTE) + 1


def test_a_print_split_by_a_flush_is_one_output(tmp_path: Path) -> None:
    from mkdocs_jupyter import nbconvert2

    source = tmp_path / "split.py"
    source.write_text(NOTEBOOK, encoding="utf-8")
    notebook_execution._patch()
    html = nbconvert2.nb2html(str(source), execute=True, allow_errors=False)
    assert TEXT_OUTPUT.findall(html) == ["max difference: 0.0\n"]
