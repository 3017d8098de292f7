"""Every Python example in the docs is run by Sybil, and none hides.

- Every Python-looking fence (```py, ```pycon, ```python3, ```python title=...,
  ~~~python, ...) must be written exactly ```python: that is the only form
  Sybil runs, and the site renders (doctest fences become pycon for display).
- On every page Sybil collects, the code regions Sybil finds must be exactly
  those fences: no fence silently skipped, no hidden code outside a fence.
  (A doctest fence yields one Sybil example per `>>>` statement, so regions are
  matched to fences by position, not counted.)
- A `<!-- skip: next -->` must say why: `<!-- skip: next "reason" -->`.

Sybil is configured once, in tests/doc_examples.py, for conftest.py and here.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from doc_examples import DOCS, sybil
from sybil.evaluators.skip import Skipper

PAGES = sorted(DOCS.rglob("*.md"))
PYTHON_LANGS = {"python", "py", "python3", "py3", "pycon", "ipython", "ipython3", "pyodide"}
FENCE = re.compile(r"^(?P<prefix>[ \t]*(?:>[ \t]*)*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


@dataclass
class Fence:
    start: int  # character offsets in the page
    end: int
    line: int
    text: str  # the opening line

    @property
    def is_python(self) -> bool:
        info = FENCE.match(self.text)["info"]  # type: ignore[index]
        lang = re.match(r"[{\s.]*([\w+-]*)", info)[1].lower()  # type: ignore[index]
        return lang in PYTHON_LANGS


def fences(text: str) -> list[Fence]:
    found = []
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i].rstrip("\n"))
        if m is None:
            i += 1
            continue
        j = i + 1
        while j < len(lines):
            c = FENCE.match(lines[j].rstrip("\n"))
            if (
                c
                and c["fence"][0] == m["fence"][0]
                and len(c["fence"]) >= len(m["fence"])
                and not c["info"].strip()
            ):
                break
            j += 1
        found.append(Fence(offsets[i], offsets[min(j + 1, len(lines))], i + 1, lines[i].strip()))
        i = j + 1
    return found


def page_id(path: Path) -> str:
    return str(path.relative_to(DOCS))


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_python_fences_are_exactly_python(page: Path) -> None:
    bad = [
        f"line {f.line}: {f.text!r}"
        for f in fences(page.read_text(encoding="utf-8"))
        if f.is_python and f.text != "```python"
    ]
    assert not bad, f"write Python fences exactly as ```python (Sybil runs only those): {bad}"


SYBIL = sybil()


@pytest.mark.parametrize("page", [p for p in PAGES if SYBIL.should_parse(p)], ids=page_id)
def test_sybil_runs_every_fence(page: Path) -> None:
    document = SYBIL.parse(page)
    python_fences = [f for f in fences(document.text) if f.is_python]
    covered: set[int] = set()
    for _, region in document.regions:
        if isinstance(region.evaluator, Skipper):
            action, reason = region.parsed
            if action in ("start", "next"):
                assert reason, (
                    f"{page_id(page)}: a skip must give its reason, "
                    f'e.g. <!-- skip: {action} "needs a GPU" -->'
                )
            continue
        inside = [f.line for f in python_fences if f.start <= region.start < f.end]
        assert inside, f"{page_id(page)}: Sybil runs code outside any visible ```python fence"
        covered.update(inside)
    missed = [f.line for f in python_fences if f.line not in covered]
    assert not missed, f"{page_id(page)}: ```python fences at lines {missed} are not run by Sybil"
    assert len(covered) == len(python_fences)
