"""The one Sybil configuration for the docs, shared by conftest.py and the tests.

Every ```python block of a docs page is run by pytest, in page order, in one
namespace per page. A block whose first line starts with `>>>` is a doctest
session (split into one example per `>>>` statement); any other block is plain
code that must run without error.
"""

import random
from doctest import ELLIPSIS, NORMALIZE_WHITESPACE
from pathlib import Path
from typing import Any

import markdown
import torch
from sybil import Document, Lexeme, Region, Sybil
from sybil.parsers.markdown import PythonCodeBlockParser, SkipParser

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
# The same pymdownx.snippets settings as mkdocs.yml, so a block runs exactly what the page shows.
SNIPPETS = markdown.Markdown(
    extensions=["pymdownx.snippets"],
    extension_configs={
        "pymdownx.snippets": {"base_path": [str(ROOT / "src/backpropdoc")], "check_paths": True}
    },
).preprocessors["snippet"]
# No NUMBER flag: output shown is output printed, digit for digit (a block that prints a long
# float rounds or formats it itself).
DOCTEST_FLAGS = ELLIPSIS | NORMALIZE_WHITESPACE

# Both editions run: a Chinese page's output is checked against what its own code prints.
EXCLUDE: list[str] = []


class IncludingPythonCodeBlockParser(PythonCodeBlockParser):
    """A code block that includes package source (``--8<-- "file.py:section"``) runs that source.

    The page shows the included source, and a reader who copies the block gets it too, so the
    test runs the block as the page renders it rather than the marker line.
    """

    def __call__(self, document: Document) -> Any:
        for region in super().__call__(document):
            yield self._expand(region)

    @staticmethod
    def _expand(region: Region) -> Region:
        source = region.parsed
        if isinstance(source, Lexeme) and "--8<--" in source:
            included = "\n".join(SNIPPETS.run(source.split("\n")))
            region.parsed = Lexeme(included, source.offset, source.line_offset)
        return region


def parsers() -> list[Any]:
    return [IncludingPythonCodeBlockParser(doctest_optionflags=DOCTEST_FLAGS), SkipParser()]


def setup(namespace: dict[str, Any]) -> None:
    """Same start for every page: seeded RNGs and torch's default print options."""
    random.seed(0)
    torch.manual_seed(0)
    torch.set_printoptions(profile="default")
    torch.set_default_dtype(torch.float32)


def sybil() -> Sybil:
    return Sybil(
        parsers=parsers(),
        patterns=["*.md"],
        excludes=EXCLUDE,
        path=str(DOCS),  # Sybil resolves relative paths against the caller's file
        setup=setup,
    )
